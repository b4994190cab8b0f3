/** @odoo-module **/
// Where each value was read: an imported PDF's form shows its page with a box on the words of each field; a
// field picked in the list lights its box up, a box picked on the page lights its field up. The bill's Import tab
// shows the same. Data: invoice_import/tests/test_browser_tours.py (test_page_view).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_page_view", {
    steps: () => [
        {
            content: "The import of the PDF is open",
            trigger: ".o_form_view .o_field_widget[name='invoice_number']:contains(GL-T001)",
        },
        {
            content: "Open the page beside the fields",
            trigger: ".o_form_view .o_notebook .nav-link:contains(On the Page)",
            run: "click",
        },
        {
            content: "The page image is shown",
            trigger: ".o_invoice_import_page img.o_invoice_import_page_image[src*='/web/image/']",
        },
        {
            content: "with a box on the invoice number and one on the total",
            trigger:
                ".o_invoice_import_page:has(.o_invoice_import_box[data-field='invoice_number']):has(.o_invoice_import_box[data-field='amount_total'])",
        },
        {
            content: "The list marks the invoice number as found on the page",
            trigger:
                ".o_invoice_import_page_fields tr.o_invoice_import_located[data-field='invoice_number']:contains(GL-T001) .fa-crosshairs",
        },
        {
            content: "No box is lit before a field is picked",
            trigger: ".o_invoice_import_pages:not(:has(.o_invoice_import_box.o_active))",
        },
        {
            content: "Pick the invoice number",
            trigger: ".o_invoice_import_page_fields tr[data-field='invoice_number']",
            run: "click",
        },
        {
            content: "Its box is lit, and only its",
            trigger:
                ".o_invoice_import_pages:has(.o_invoice_import_box.o_active[data-field='invoice_number']):not(:has(.o_invoice_import_box.o_active:not([data-field='invoice_number'])))",
        },
        {
            content: "Pick the total's box on the page",
            trigger: ".o_invoice_import_box[data-field='amount_total']",
            run: "click",
        },
        {
            content: "The total's row is lit in the list",
            trigger: ".o_invoice_import_page_fields tr.o_active[data-field='amount_total']",
        },
        {
            content: "Open the bill",
            trigger: ".o_form_view .oe_stat_button:contains(Bill)",
            run: "click",
        },
        {
            content: "Its Import tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Import)",
            run: "click",
        },
        {
            content: "shows the same page with its boxes",
            trigger:
                ".o_field_widget[name='invoice_import_page_view'] .o_invoice_import_page:has(img[src*='/web/image/']) .o_invoice_import_box[data-field='invoice_number']",
        },
    ],
});
