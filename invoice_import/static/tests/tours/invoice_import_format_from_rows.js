/** @odoo-module **/
// A new supplier format built from rows alone: its kind picked, a row per value (a column by its title, a value
// always the same), the file's settings as fields, saved without a line of JSON seen, then tried on the
// supplier's file. Data: invoice_import/tests/test_browser_tours.py (test_a_format_made_from_rows), which
// stores the sample file the tour picks and checks the JSON the rows made.
import { registry } from "@web/core/registry";
import { closeTryOnFile, openTryOnFile, pickSampleFile, saveFormat } from "@invoice_import/../tests/tours/format_steps";

const rows = ".o_form_view .o_field_widget[name='field_ids']";

/** Add a row reading ``field`` (its label) by ``rule`` (its label; a CSV's rows read a column unless told). */
function addRow(field, value, rule = null) {
    return [
        {
            content: `Add a row for ${field}`,
            trigger: `${rows} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        ...(rule
            ? [
                  {
                      content: `read from: ${rule}`,
                      trigger: `${rows} .o_selected_row td[name='rule'] select`,
                      run: `selectByLabel ${rule}`,
                  },
              ]
            : []),
        {
            content: `the field: ${field}`,
            trigger: `${rows} .o_selected_row td[name='field_name'] select`,
            run: `selectByLabel ${field}`,
        },
        {
            content: `read from ${value}`,
            trigger: `${rows} .o_selected_row td[name='value'] input`,
            run: `edit ${value}`,
        },
    ];
}

registry.category("web_tour.tours").add("invoice_import_format_from_rows", {
    steps: () => [
        {
            content: "A new format's form says what to do, without JSON",
            trigger: ".o_form_view .o_form_sheet:contains(Choose what the supplier sends):not(:has(.o_field_widget[name='definition']))",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .oe_title .o_field_widget[name='name'] input",
            run: "edit Stahlhandel Süd",
        },
        {
            content: "The supplier sends a CSV file",
            trigger: ".o_form_view .o_field_widget[name='kind'] select",
            run: "selectByLabel CSV column map",
        },
        {
            content: "the file's settings of a CSV show",
            trigger: ".o_form_view .o_field_widget[name='csv_header_rows'] input:value(1)",
        },
        ...addRow("Invoice number", "Belegnr"),
        ...addRow("Invoice date", "Datum"),
        ...addRow("Total", "Brutto"),
        ...addRow("Currency", "EUR", "Always this value"),
        {
            content: "The columns are separated by semicolons",
            trigger: ".o_form_view .o_field_widget[name='csv_delimiter'] input",
            run: "edit ;",
        },
        {
            content: "and dates written day first",
            trigger: ".o_form_view .o_field_widget[name='date_format'] input",
            run: "edit %d.%m.%Y",
        },
        ...saveFormat(),
        {
            content: "The rows, as saved, labelled",
            trigger: `${rows} .o_data_row:contains(Invoice date):contains(Datum)`,
        },
        {
            content: "no internal key among them, no JSON on the form",
            trigger: ".o_form_view:not(:contains(invoice_number)):not(:has(.o_field_widget[name='definition'])) .o_field_widget[name='field_ids'] .o_data_row:contains(Currency):contains(EUR)",
        },
        openTryOnFile(),
        pickSampleFile("stahl_sued.csv", "text/csv"),
        {
            content: "The supplier's invoice is read with the new format",
            trigger: ".modal .o_field_widget[name='fields_html'] h5:contains(SS-24-0311)",
        },
        {
            content: "its total in euros, its date from the column Datum",
            trigger: ".modal .o_field_widget[name='fields_html'] tr:contains(Total):contains(1,190.00):contains(€)",
        },
        ...closeTryOnFile(),
    ],
});
