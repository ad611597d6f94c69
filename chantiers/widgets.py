"""Admin widgets that name every input they draw, for screen readers and axe-core.

Django's admin draws a date-and-time field as two inputs (date, time) that no label
points to (MultiWidget has no single id to label), and the inputs of a tabular inline
only sit under a column header. `labelled_widget` renders a bound field with names that
say which field, and which row, an input belongs to; the admin's templates call it
through the `portal_admin` template filters.
"""

from django.contrib.admin.widgets import AdminSplitDateTime


class LabelledSplitDateTime(AdminSplitDateTime):
    """Date and time inputs named « <field label> : date » and « <field label> : heure »."""

    PARTS = ("date", "heure")

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], self.PARTS, strict=True):
            subwidget["attrs"]["aria-label"] = f"{self.label} : {part}"
        return context


def labelled_widget(bound_field, row=""):
    """The field's HTML, as `{{ bound_field }}` renders it, with a name on each input;
    `row` (« pièce jointe 2 ») is added where the input sits in a table row rather than
    beside its label."""
    label = str(bound_field.label)
    name = f"{label} ({row})" if row else label
    widget = bound_field.field.widget
    inner = getattr(widget, "widget", widget)  # inside RelatedFieldWidgetWrapper
    if isinstance(inner, AdminSplitDateTime):
        labelled = LabelledSplitDateTime(name, attrs=inner.attrs)
        labelled.is_required = inner.is_required
        labelled.is_localized = inner.is_localized
        html = bound_field.as_widget(widget=labelled)
    elif row and not widget.is_hidden:
        html = bound_field.as_widget(attrs={"aria-label": name})
    else:
        html = bound_field.as_widget()
    if bound_field.field.show_hidden_initial:
        # What the form compares with to tell a changed row (callable defaults).
        html += bound_field.as_hidden(only_initial=True)
    return html
