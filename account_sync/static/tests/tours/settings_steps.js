/** @odoo-module **/
// Steps every accounting sync settings tour takes: open the Invoicing tab (where the Accounts integration block
// is), and Save, which reloads the settings page.
import { clickReloading } from "@account_sync/../tests/tours/reload_steps";

/** The first step: the Invoicing tab of the settings. */
export function openInvoicingSettings() {
    return {
        content: "The Invoicing settings",
        trigger: ".settings_tab .tab[data-key='account']",
        run: "click",
    };
}

/**
 * Save, then ``saved`` ({content, trigger}): the step that checks the reloaded page, so an edit is seen as stored
 * rather than as still on the page before the reload.
 */
export function saveSettings(saved) {
    return clickReloading(
        {
            content: "Save (the settings reload the page)",
            trigger: ".o_control_panel .o_form_button_save",
        },
        saved
    );
}
