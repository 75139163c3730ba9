//! Parsers and analysers for server files (nginx, Magento, secrets).
