/** @odoo-module **/
// The accounting sync settings of a company connected to Xero: the connection's state and organisation, its
// buttons, the mapped accounts and tax codes by code and name; Refresh chart of accounts; a mapping changed and
// saved. Data: account_sync_xero/tests/test_browser_tours.py (the fake Xero, connected through OAuth).
import { registry } from "@web/core/registry";
import { clickReloading } from "@account_sync/../tests/tours/reload_steps";
import { openInvoicingSettings, saveSettings } from "@account_sync/../tests/tours/settings_steps";

registry.category("web_tour.tours").add("account_sync_xero_settings", {
    steps: () => [
        openInvoicingSettings(),
        {
            content: "The Accounts integration block",
            trigger: ".o_settings_container:contains(Accounting package), .app_settings_block h2:contains(Accounts integration)",
        },
        {
            content: "The accounting package is Xero, fixed while connected",
            trigger: "#account_sync_connection .o_field_widget[name='account_sync_provider']:contains(Xero)",
        },
        {
            content: "Connected, to the organisation chosen at Xero",
            trigger: "#account_sync_connection:contains(Connected):contains(Demo Company (NZ))",
        },
        {
            content: "Sync now",
            trigger: "#account_sync_connection button:contains(Sync now)",
        },
        {
            content: "Disconnect",
            trigger: "#account_sync_connection button:contains(Disconnect)",
        },
        {
            content: "No Connect button while connected",
            trigger: "#account_sync_connection:not(:has(button:contains(Reconnect)))",
        },
        {
            content: "The Xero app's client id, as set before these fields existed (a system parameter)",
            trigger: "#account_sync_xero_app .o_field_widget[name='account_sync_xero_client_id'] input:value(fake-client-id)",
        },
        {
            content: "its secret, hidden, and the redirect URI to register at Xero",
            trigger: "#account_sync_xero_app:contains(/account_sync_xero/oauth/callback) .o_field_widget[name='account_sync_xero_client_secret'] input[type='password']",
        },
        {
            content: "What to push",
            trigger: "#account_sync_rules:contains(Push invoice lines):contains(Invoice reference)",
        },
        {
            content: "Payments go to the bank account, by code and name",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_payment_account_id'] input:value(090 Business Bank Account)",
        },
        {
            content: "Labour income: the sales account",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_labour_income_account_id'] input:value(200 Sales)",
        },
        {
            content: "The sales tax code",
            trigger: "#account_sync_taxes .o_field_widget[name='account_sync_sales_tax_id'] input:value(/^OUTPUT2 /)",
        },
        {
            content: "The chart is there: no hint, and each Odoo tax has a row of its own",
            trigger: "#account_sync_taxes:not(:contains(Refresh chart of accounts:)) button:contains(Tax code per tax)",
        },
        ...clickReloading(
            {
                content: "Refresh chart of accounts (the button reloads the page)",
                trigger: "#account_sync_connection button:contains(Refresh chart of accounts)",
            },
            {
                content: "Still connected after the refresh, on the reloaded page (an edit before the reload is lost)",
                trigger: "#account_sync_connection:contains(Connected) button:contains(Sync now)",
            }
        ),
        {
            content: "Pick another labour income account",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_labour_income_account_id'] input",
            run: "edit 260",
        },
        {
            content: "found by its code",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(260 Other Revenue)",
            run: "click",
        },
        {
            content: "The field holds it before Save is clicked (Save must not race the autocomplete)",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_labour_income_account_id'] input:value(260 Other Revenue)",
        },
        ...saveSettings({
            content: "Saved (the page reloaded)",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_labour_income_account_id'] input:value(260 Other Revenue)",
        }),
    ],
});
