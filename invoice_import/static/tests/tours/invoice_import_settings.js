/** @odoo-module **/
// The invoice import settings: the bills address, assignees, privacy, inboxes and OCR under Invoicing; matching
// under Purchase. Ticks the privacy setting and saves: the test checks it reached the company.
// Data: invoice_import/tests/test_browser_tours.py (test_invoice_import_settings).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_settings", {
    steps: () => [
        {
            content: "The Invoicing settings",
            trigger: ".settings_tab .tab[data-key='account']",
            run: "click",
        },
        {
            content: "The supplier invoice address is the random bills address",
            trigger: "#invoice_import_alias:contains(Supplier Invoice Address) .o_field_widget[name='invoice_import_alias_email']:contains(@bills.example)",
        },
        {
            content: "shown whole, with a button that copies it",
            trigger: "#invoice_import_alias .o_field_widget[name='invoice_import_alias_email'] .o_clipboard_button",
        },
        {
            content: "which can be replaced by a new one",
            trigger: "#invoice_import_alias button:contains(Generate a new address)",
        },
        {
            content: "The assignees of documents that need a person",
            trigger: "#invoice_import_assignees:contains(Failed Document Assignees) .o_tag:contains(Rita Reviewer)",
        },
        {
            content: "What posts an imported bill automatically, in one sentence beside Odoo's Auto-validate bills",
            trigger: "#invoice_import_autopost .o_invoice_import_autopost_policy:contains(An imported bill is posted automatically when read with confidence from a trusted sender)",
        },
        {
            content: "The mail privacy setting, off",
            trigger: "#invoice_import_mail_privacy:contains(Keep Only Sender, Subject and Attachments) input:not(:checked)",
            run: "click",
        },
        {
            content: "The supplier invoice inboxes lead to the incoming mail servers",
            trigger: "#invoice_import_inboxes button:contains(Incoming Mail Servers)",
        },
        {
            content: "The OCR batch size",
            trigger: "#invoice_import_ocr_batch_size:contains(OCR Batch Size) .o_field_widget[name='invoice_import_ocr_batch_size'] input:value(10)",
        },
        {
            content: "Save (settings reload the page: the mark on the page goes with it)",
            trigger: ".o_control_panel .o_form_button_save",
            async run(helpers) {
                document.body.dataset.tourUnsaved = "1";
                await helpers.click();
            },
        },
        {
            content: "Saved (the page reloaded): the privacy setting is on",
            trigger: "body:not([data-tour-unsaved]) #invoice_import_mail_privacy input:checked",
        },
        {
            content: "The Purchase settings",
            trigger: ".settings_tab .tab[data-key='purchase']",
            run: "click",
        },
        {
            content: "Validate matched bills automatically",
            trigger: "#invoice_import_match_autopost:contains(Validate Matched Bills Automatically) input:not(:checked)",
        },
        {
            content: "Ticking it says at once that matched bills are posted too",
            trigger: "#invoice_import_match_autopost input:not(:checked)",
            run: "click",
        },
        {
            content: "in the sentence under it",
            trigger: "#invoice_import_match_autopost .o_invoice_import_autopost_policy:contains(or matching its purchase orders within tolerance)",
        },
        {
            content: "and the matching tolerances",
            trigger: "#invoice_import_match_autopost button:contains(Matching Tolerances)",
            run: "click",
        },
        {
            content: "The ticked switch is not kept: discard it",
            trigger: ".modal-footer button:contains(Discard)",
            run: "click",
        },
        {
            content: "The tolerance rules",
            trigger: ".o_breadcrumb:contains(Tolerance)",
        },
    ],
});
