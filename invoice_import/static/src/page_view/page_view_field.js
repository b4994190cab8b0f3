/** The fields read from a file beside its pages, each field's words highlighted where they were read.
 *
 * The value is the document's ``page_view`` (see models/invoice_import_document_page.py): the fields
 * as a person reads them, each with boxes in fractions of a page, so they sit on the page image at
 * whatever size it is shown. Hovering a field (or its box) highlights both; a click keeps it so.
 */
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { useRecordObserver } from "@web/model/relational_model/utils";

import { Component, useState } from "@odoo/owl";

export class PageViewField extends Component {
    static template = "invoice_import.PageViewField";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ images: [], loading: false, hovered: null, pinned: null });
        this.loadedFor = null;
        useRecordObserver((record) => this.loadImages(record));
    }

    get view() {
        return this.props.record.data[this.props.name] || { fields: [], pages: 0 };
    }

    get activeKey() {
        return this.state.hovered || this.state.pinned;
    }

    async loadImages(record) {
        // the images depend on the file, not on the fields: asked once per record
        if (!record.resId || this.loadedFor === record.resId || !this.view.fields.length) {
            return;
        }
        this.loadedFor = record.resId;
        this.state.loading = true;
        try {
            this.state.images = await this.orm.call(record.resModel, "invoice_import_page_images", [
                [record.resId],
            ]);
        } finally {
            this.state.loading = false;
        }
    }

    /** The boxes drawn on page ``index``: one per spot of each located field. */
    boxes(index) {
        const boxes = [];
        for (const row of this.view.fields) {
            for (const spot of row.spots) {
                if (spot.page !== index) {
                    continue;
                }
                const [x0, y0, x1, y1] = spot.box;
                const pct = (value) => `${(value * 100).toFixed(2)}%`;
                boxes.push({
                    key: row.key,
                    label: row.label,
                    id: `${row.key}-${boxes.length}`,
                    style: `left: ${pct(x0)}; top: ${pct(y0)}; width: ${pct(x1 - x0)}; height: ${pct(y1 - y0)};`,
                });
            }
        }
        return boxes;
    }

    onHover(key) {
        this.state.hovered = key;
    }

    onClick(key) {
        this.state.pinned = this.state.pinned === key ? null : key;
    }

    get pageAlt() {
        return _t("Page of the imported file");
    }
}

export const pageViewField = {
    component: PageViewField,
    displayName: _t("Fields on the page"),
    supportedTypes: ["json"],
};

registry.category("fields").add("invoice_import_page_view", pageViewField);
