"""Import of the four file kinds of the data contract (units, meetings, inspections, ratings), and their export.

The Import page and `python -m data_access import` both use only what is listed here:

- `read_table(source, file_name=, sheet=)` → RawTable (`.header`, `.to_frame(limit=)` for a preview,
  `.sheet_names`); `sheet_names(source)` for a sheet picker.
- `validate(engine, kind, source, file_name=, sheet=)` → ImportReport (nothing written).
- `import_file(engine, kind, source, file_name=, imported_by=, sheet=, dry_run=, consent=)` → ImportReport (all or
  nothing); `Consent(allow_clearing=, confirm_new=, allow_moves=)` accepts what otherwise needs confirming.
- `report_rows(report, lang)` → DataFrame (file, row, column, value, severity, problem); `report_csv` → bytes.
- `template_csv(kind, lang)` / `template_xlsx(kind, lang)` → bytes with a header row and one example row.
- `list_batches(engine)` → DataFrame of past imports.
- `export_table(engine, kind)` (and `export_units` …) → DataFrame in the contract's columns.
"""

from data_access.importing.api import import_file, list_batches, validate
from data_access.importing.checking import Consent
from data_access.importing.exporting import (
    export_csv,
    export_inspections,
    export_meetings,
    export_ratings,
    export_table,
    export_units,
)
from data_access.importing.messages import MESSAGES, render
from data_access.importing.reading import FileProblem, RawTable, read_table, sheet_names
from data_access.importing.report import ImportReport, Problem, report_csv, report_rows
from data_access.importing.templates import template_csv, template_xlsx
from data_access.importing.vocab import FILE_KINDS, KINDS

__all__ = [
    "FILE_KINDS",
    "KINDS",
    "MESSAGES",
    "Consent",
    "FileProblem",
    "ImportReport",
    "Problem",
    "RawTable",
    "export_csv",
    "export_inspections",
    "export_meetings",
    "export_ratings",
    "export_table",
    "export_units",
    "import_file",
    "list_batches",
    "read_table",
    "render",
    "report_csv",
    "report_rows",
    "sheet_names",
    "template_csv",
    "template_xlsx",
    "validate",
]
