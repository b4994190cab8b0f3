/** @odoo-module **/
// QuickBooks chosen but not connected yet: the mapping blocks and QuickBooks' own settings are shown with what to
// do first, the app's environment is asked, and what needs no chart (card payments) is set and saved.
// Data: account_sync_qbo/tests/test_browser_tours.py (a disconnected QuickBooks connection).
import { registry } from "@web/core/registry";
import { openInvoicingSettings, saveSettings } from "@account_sync/../tests/tours/settings_steps";

registry.category("web_tour.tours").add("account_sync_qbo_before_connect", {
    steps: () => [
        openInvoicingSettings(),
        {
            content: "QuickBooks Online, not connected: Connect is offered",
            trigger: "#account_sync_connection:contains(Disconnected) button:contains(Connect)",
        },
        {
            content: "The accounts say what to do first",
            trigger: "#account_sync_accounts:contains(Connect first, then Refresh chart of accounts)",
        },
        {
            content: "QuickBooks' own settings are shown, with the same hint",
            trigger: "#account_sync_qbo:contains(Connect first, then Refresh chart of accounts):contains(Accept credit card payments)",
        },
        {
            content: "The app's environment",
            trigger: "#account_sync_qbo_app .o_field_widget[name='account_sync_qbo_environment'] select",
            run: "selectByLabel Sandbox (development keys)",
        },
        {
            content: "Accept credit card payments",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_accept_credit_cards'] input:not(:checked)",
            run: "click",
        },
        ...saveSettings({
            content: "Saved (the page reloaded): card payments accepted",
            trigger: "#account_sync_qbo .o_field_widget[name='account_sync_qbo_accept_credit_cards'] input:checked",
        }),
    ],
});
