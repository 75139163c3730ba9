<?php
return [
    'modules' => [
        'Magento_Store' => 1,
        'Magento_Directory' => 1,
        'Magento_Theme' => 1,
        'Magento_Backend' => 1,
        'Magento_Customer' => 1,
        'Magento_Catalog' => 1,
        'Magento_Checkout' => 1,
        'Magento_Sales' => 1,
        'Magento_Payment' => 1,
        'Magento_Security' => 1,
        'Magento_ReCaptchaAdminUi' => 1,
        'Magento_AdminAdobeIms' => 0,
        'Magento_TwoFactorAuth' => 0,
        'Magento_PageBuilder' => 1,
    ],
    'system' => [
        'default' => [
            'web' => [
                'secure' => [
                    'use_in_adminhtml' => '1'
                ]
            ]
        ]
    ],
];
