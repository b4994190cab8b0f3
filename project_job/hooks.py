"""Install hooks: taking the jobs over from ``invoice_import``, where they were born, and recomputing their costs.

Up to ``invoice_import`` 18.0.0.5.0 the job models, fields, screens, access rights and job number sequence
belonged to ``invoice_import``.  Its newer versions depend on this addon, so upgrading ``invoice_import``
installs this addon first.  Left alone, that install would create a second copy of every screen, access
right and sequence (a second *Job Number* sequence starting again at JOB-00001, whose first number clashes
with the oldest job), and the upgrade would then delete ``invoice_import``'s copies as orphans, with the ids
that other records and customisations point to.

So, before this addon's data loads, its XML ids that ``invoice_import`` holds change module
(``ir_model_data.module``), and the install updates those records in place: same ids, same data, the
sequence's next number kept.  Only the module column changes: the names, models and tables are the same.

Why a ``pre_init_hook`` and not a pre-migration script in ``invoice_import/migrations/``: Odoo loads the
installed and upgraded modules first, then installs the new ones, and an upgraded module whose new
dependency is not installed waits for the next pass (``odoo/modules/loading.py``, ``load_modules``, step
3).  ``invoice_import``'s pre-migration would run only after this addon was installed, too late.
"""

import csv
import logging

from lxml import etree
from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tools.misc import file_open

from .models import invoice_import_job_type, project_task, purchase_order, purchase_order_line

_logger = logging.getLogger(__name__)

PREVIOUS_MODULE = "invoice_import"
MODULE = "project_job"
MODEL_CLASSES = (
    invoice_import_job_type.InvoiceImportJobType,
    project_task.ProjectTask,
    purchase_order.PurchaseOrder,
    purchase_order_line.PurchaseOrderLine,
)


def pre_init_hook(env):
    take_over_from_previous_module(env.cr)


def post_init_hook(env):
    """Recomputes the stored amounts of the jobs' purchase order lines.

    Their columns existed under ``invoice_import``, so the install keeps their values, computed when the
    ordered amount was still converted at the day's rate rather than at the order's.
    """
    lines = env["purchase.order.line"].search([("order_id.job_task_id", "!=", False)])
    for name in ("job_ordered_amount", "job_billed_amount"):
        env.add_to_compute(lines._fields[name], lines)
    lines.flush_recordset()


def take_over_from_previous_module(cr):
    """Moves to this addon what ``invoice_import`` holds of it: XML ids of its data records (views, actions,
    menus, access rights, sequence), of its model and fields, and its SQL constraint.

    Derived from this addon's own data files and model classes, so nothing is forgotten when they change.
    A no-op on a database without the previous ``invoice_import`` (nothing to move) and when run twice.
    Returns the number of XML ids moved.
    """
    cr.execute("SELECT name, id FROM ir_module_module WHERE name IN %s", [(PREVIOUS_MODULE, MODULE)])
    module_ids = dict(cr.fetchall())
    if PREVIOUS_MODULE not in module_ids:
        return 0
    not_taken = "NOT EXISTS (SELECT 1 FROM ir_model_data mine WHERE mine.module = %(new)s AND mine.name = d.name)"
    params = {"old": PREVIOUS_MODULE, "new": MODULE}
    new_models, inherited_fields, constraints = _models_fields_constraints()

    cr.execute(
        f"UPDATE ir_model_data d SET module = %(new)s WHERE d.module = %(old)s AND d.name IN %(names)s AND {not_taken}",
        dict(params, names=tuple(_data_xml_ids() | {_model_xml_id(model) for model in new_models} | constraints)),
    )
    moved = cr.rowcount
    cr.execute(
        f"""UPDATE ir_model_data d SET module = %(new)s
              FROM ir_model_fields f
             WHERE d.module = %(old)s AND d.model = 'ir.model.fields' AND d.res_id = f.id
               AND (f.model IN %(models)s OR (f.model, f.name) IN %(fields)s) AND {not_taken}""",
        dict(params, models=tuple(new_models), fields=tuple(inherited_fields)),
    )
    moved += cr.rowcount
    # the constraint's own row names its module: uninstalling invoice_import would drop it otherwise
    cr.execute(
        "UPDATE ir_model_constraint SET module = %s WHERE module = %s AND name IN %s",
        [module_ids[MODULE], module_ids[PREVIOUS_MODULE], tuple(name[len("constraint_") :] for name in constraints)],
    )
    _logger.info("%s: took over %d XML ids from %s", MODULE, moved, PREVIOUS_MODULE)
    return moved


def _data_xml_ids():
    """The record ids (without module) this addon's data files declare: XML records and menus, CSV rows."""
    names = set()
    for path in get_manifest(MODULE)["data"]:
        with file_open(f"{MODULE}/{path}", "rb") as data:
            if path.endswith(".csv"):
                names.update(row["id"] for row in csv.DictReader(data.read().decode().splitlines()))
            else:
                names.update(etree.parse(data).xpath("//record/@id | //menuitem/@id | //template/@id"))
    return {name for name in names if "." not in name}


def _models_fields_constraints():
    """What this addon's model classes define, as three collections: the names of the models it creates, the
    ``(model, field)`` pairs it adds to other models, and the XML id names of its SQL constraints."""
    new_models, inherited_fields, constraints = set(), set(), set()
    for cls in MODEL_CLASSES:
        if cls._name in cls._inherit:
            names = [name for name, value in vars(cls).items() if isinstance(value, fields.Field)]
            inherited_fields.update((cls._name, name) for name in names)
        else:
            new_models.add(cls._name)
        table = cls._name.replace(".", "_")
        constraints.update(
            f"constraint_{table}_{key}" for key, _definition, _message in vars(cls).get("_sql_constraints", ())
        )
    return new_models, inherited_fields, constraints


def _model_xml_id(model):
    return "model_" + model.replace(".", "_")
