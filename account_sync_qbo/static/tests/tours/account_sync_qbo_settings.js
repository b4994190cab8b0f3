/** @odoo-module **/
// The accounting sync settings of a company connected to QuickBooks Online: the connection, its mapped accounts,
// and QuickBooks' own block (lead source custom field, card payments, deposit account), set and saved.
// Data: account_sync_qbo/tests/test_browser_tours.py (the fake QuickBooks, connected through OAuth).
import { registry } from "@web/core/registry";
import { openInvoicingSettings, saveSettings } from "@account_sync/../tests/tours/settings_steps";

registry.category("web_tour.tours").add("account_sync_qbo_settings", {
    steps: () => [
        openInvoicingSettings(),
        {
            content: "The accounting package is QuickBooks Online, connected",
            trigger: "#account_sync_connection:contains(Connected) .o_field_widget[name='account_sync_provider']:contains(QuickBooks Online)",
        },
        {
            content: "The QuickBooks app: its environment (the tests' discovery URL is none of the two) and client id",
            trigger: "#account_sync_qbo_app:contains(Environment) .o_field_widget[name='account_sync_qbo_client_id'] input:value(fake-qbo-client)",
        },
        {
            content: "Payments received into the current account, by code and name",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_payment_account_id'] input:value(1200 Current Account)",
        },
        {
            content: "Labour income: services",
            trigger: "#account_sync_accounts .o_field_widget[name='account_sync_labour_income_account_id'] input:value(4100 Services)",
        },
        {
            content: "QuickBooks' own settings",
            trigger: "#account_sync_qbo:contains(Lead source field):contains(Accept credit card payments):contains(Deposit account (polled))",
        },
        {
            content: "No lead source field yet: its name is hidden",
            trigger: "#account_sync_qbo:not(:has(.o_field_widget[name='account_sync_qbo_lead_source_name']))",
        },
        {
            content: "Send the lead source in custom field 2",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_lead_source_definition'] select",
            run: "selectByIndex 2",
        },
        {
            content: "Its name in QuickBooks, now asked",
            trigger: "#account_sync_qbo:contains(Its name in QuickBooks) .o_field_widget[name='account_sync_qbo_lead_source_name'] input",
            run: "edit Referral",
        },
        {
            content: "Accept credit card payments",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_accept_credit_cards'] input:not(:checked)",
            run: "click",
        },
        ...saveSettings({
            content: "Saved (the page reloaded): custom field 2, named Referral",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_lead_source_name'] input:value(Referral)",
        }),
        {
            content: "card payments accepted",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_accept_credit_cards'] input:checked",
        },
    ],
});
