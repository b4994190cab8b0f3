/** @odoo-module **/
// A first connection to Xero from the settings, as a new user makes it: the package chosen, the mapping blocks
// saying what to do first, the app's client id and secret typed in, and Connect clicked with all that unsaved.
// Connect saves and goes on to Xero (the fake consents at once) and back to the connection, connected.
// Data: account_sync_xero/tests/test_browser_tours.py (the fake Xero's endpoints, no credentials yet).
import { registry } from "@web/core/registry";
import { openInvoicingSettings } from "@account_sync/../tests/tours/settings_steps";

registry.category("web_tour.tours").add("account_sync_xero_connect", {
    steps: () => [
        openInvoicingSettings(),
        {
            content: "No package chosen: no mapping to show yet",
            trigger: "body:not(:has(#account_sync_accounts)):has(#account_sync_connection:not(:has(button:contains(Connect))))",
        },
        {
            content: "Choose Xero",
            trigger: "#account_sync_connection .o_field_widget[name='account_sync_provider'] select",
            run: "selectByLabel Xero",
        },
        {
            content: "The accounts say what to do first",
            trigger: "#account_sync_accounts:contains(Connect first, then Refresh chart of accounts)",
        },
        {
            content: "and so do the tax codes",
            trigger: "#account_sync_taxes:contains(Connect first, then Refresh chart of accounts)",
        },
        {
            content: "The Xero app's client id",
            trigger: "#account_sync_xero_app .o_field_widget[name='account_sync_xero_client_id'] input",
            run: "edit fake-client-id",
        },
        {
            content: "and its secret, hidden",
            trigger: "#account_sync_xero_app .o_field_widget[name='account_sync_xero_client_secret'] input[type='password']",
            run: "edit fake-client-secret",
        },
        {
            content: "Connect, with all of it unsaved: saved on the way, then on to Xero and back",
            trigger: "#account_sync_connection button:contains(Connect)",
            run: "click",
        },
        {
            content: "Back from Xero on the connection: connected to the organisation chosen there",
            trigger: ".o_form_view:contains(Demo Company (NZ)) .o_statusbar_status .o_arrow_button_current:contains(Connected)",
        },
        {
            content: "The chart is not there yet: the mapping says what to do",
            trigger: ".o_notebook .alert:contains(Refresh chart of accounts: the accounts and tax codes to choose from)",
        },
    ],
});
