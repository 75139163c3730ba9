<?php
// SecureCart's Magento 2 storefront (demo). The database password of the
// default connection is written here; the indexer's comes from the
// environment PHP-FPM is started with.
return [
    'backend' => [
        'frontName' => 'admin'
    ],
    'remote_storage' => [
        'driver' => 'file'
    ],
    'crypt' => [
        'key' => getenv('MAGENTO_CRYPT_KEY')
    ],
    'db' => [
        'table_prefix' => '',
        'connection' => [
            'default' => [
                'host' => 'securecart-prod.c9xk2lq0w1ab.eu-west-1.rds.amazonaws.com',
                'dbname' => 'magento',
                'username' => 'magento_app',
                'password' => 'Sc' . '-Demo#2026-mysql',
                'model' => 'mysql4',
                'engine' => 'innodb',
                'initStatements' => 'SET NAMES utf8;',
                'active' => '1',
                'driver_options' => [
                    1014 => false
                ]
            ],
            'indexer' => array(
                'host' => 'securecart-prod.c9xk2lq0w1ab.eu-west-1.rds.amazonaws.com',
                'dbname' => 'magento',
                'username' => 'magento_indexer',
                'password' => getenv('MAGENTO_INDEXER_DB_PASSWORD'),
                'active' => '1',
            ),
        ]
    ],
    'resource' => [
        'default_setup' => [
            'connection' => 'default'
        ]
    ],
    'x-frame-options' => 'SAMEORIGIN',
    'MAGE_MODE' => 'production',
    'session' => [
        'save' => 'redis',
        'redis' => [
            'host' => 'securecart-sessions.abc123.euw1.cache.amazonaws.com',
            'port' => '6379',
            'password' => $_ENV['REDIS_AUTH'] ?? '',
        ]
    ],
];
