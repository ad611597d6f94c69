"""The vocabulary of an action's status, and a chantier's actions summed up in one line."""

from dataclasses import dataclass, field

from django.db import models


class ActionStatus(models.TextChoices):
    PLANNED = "a_venir", "À venir"
    IN_PROGRESS = "en_cours", "En cours"
    DONE = "realisee", "Réalisée"
    PAUSED = "en_pause", "En pause"
    ABANDONED = "abandonnee", "Abandonnée"


# Neither late nor waiting for news: the action is over.
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.ABANDONED)
# The order of the one-line summary and of the lists: what moves first.
STATUS_ORDER = (
    ActionStatus.IN_PROGRESS,
    ActionStatus.PLANNED,
    ActionStatus.PAUSED,
    ActionStatus.DONE,
    ActionStatus.ABANDONED,
)
# « 1 action réalisée », « 2 actions en cours »: the adjective agrees, the locution does not.
STATUS_WORDS = {
    ActionStatus.PLANNED: ("à venir", "à venir"),
    ActionStatus.IN_PROGRESS: ("en cours", "en cours"),
    ActionStatus.DONE: ("réalisée", "réalisées"),
    ActionStatus.PAUSED: ("en pause", "en pause"),
    ActionStatus.ABANDONED: ("abandonnée", "abandonnées"),
}
# The summary of the chantier pages, in the order of the démarche's own words.
SUMMARY_ORDER = (
    ActionStatus.DONE,
    ActionStatus.IN_PROGRESS,
    ActionStatus.PLANNED,
    ActionStatus.PAUSED,
    ActionStatus.ABANDONED,
)


def count_actions(count, status=None):
    """« 1 action réalisée », « 3 actions en cours », « 2 actions »."""
    # French: 0 and 1 take the singular.
    noun = "action" if count <= 1 else "actions"
    if status is None:
        return f"{count}\u00a0{noun}"
    one, many = STATUS_WORDS[ActionStatus(status)]
    return f"{count}\u00a0{noun} {one if count <= 1 else many}"


@dataclass
class ProgressSummary:
    """A chantier's actions counted by status, with their average progress."""

    counts: dict = field(default_factory=dict)
    late: int = 0
    # Sum of the progress of the actions not abandoned (done ones count 100).
    _progress_total: float = 0.0

    @classmethod
    def of_actions(cls, actions):
        """The same summary from actions already read (no query)."""
        summary = cls()
        for action in actions:
            late = action.is_late
            summary.add(action.status, 1, int(late), action.shown_progress or 0)
        return summary

    def add(self, status, count, late, progress):
        self.counts[status] = self.counts.get(status, 0) + count
        self.late += late
        if status != ActionStatus.ABANDONED:
            self._progress_total += float(progress or 0) * count

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def counted(self):
        """The actions the progress is measured on: all but the abandoned ones."""
        return self.total - self.counts.get(ActionStatus.ABANDONED, 0)

    @property
    def percent(self):
        """Average progress of the actions not abandoned, done ones at 100 %; None without."""
        if not self.counted:
            return None
        return round(self._progress_total / self.counted)

    @property
    def text(self):
        """« 2 actions réalisées, 3 en cours, 1 à venir »: the noun once, on the first part."""
        parts = []
        for status in SUMMARY_ORDER:
            count = self.counts.get(status, 0)
            if not count:
                continue
            if not parts:
                parts.append(count_actions(count, status))
            else:
                one, many = STATUS_WORDS[status]
                parts.append(f"{count}\u00a0{one if count == 1 else many}")
        return ", ".join(parts) if parts else "Aucune action publiée pour le moment"

    @property
    def late_text(self):
        if not self.late:
            return ""
        return f"{count_actions(self.late)} en retard"
