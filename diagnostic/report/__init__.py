"""The rapport d'avancement: where the projet de territoire stands over a period, written
from the data, as a page (`views`) and as a PDF built by the worker from the same template
(`pdf`, `builds`); `figures` and `sections` read the period's content, `pins` keeps a
report as a document."""
