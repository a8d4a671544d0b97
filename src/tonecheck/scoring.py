"""The document tone score: 0-100, where 100 reads humble and appreciative.

score = 100
        - findings:   error 25, warning 15, info 5 each (tone categories only; at most 75)
        - signals:    4 for each missing good-request signal (6 signals, at most 24)
        - sentiment:  20 x the document's negative polarity (at most 10)
        - politeness: 20 x (0.5 - politeness probability), when the model is present
                      (between -10 and +10)
clamped to [0, 100] and rounded. Grammar findings do not lower the tone score.
"""

from __future__ import annotations

from collections.abc import Sequence

from .report import TONE_CATEGORIES, Finding, Signal

SEVERITY_PENALTY = {"error": 25.0, "warning": 15.0, "info": 5.0}
MAX_FINDING_PENALTY = 75.0
MISSING_SIGNAL_PENALTY = 4.0
MAX_SENTIMENT_PENALTY = 10.0


def tone_score(
    findings: Sequence[Finding],
    signals: Sequence[Signal],
    polarity: float,
    politeness: float | None = None,
) -> int:
    """Combine findings, signals, sentiment and politeness into one 0-100 figure."""
    score = 100.0
    penalty = sum(
        SEVERITY_PENALTY.get(f.severity, 0.0) for f in findings if f.category in TONE_CATEGORIES
    )
    score -= min(penalty, MAX_FINDING_PENALTY)
    score -= MISSING_SIGNAL_PENALTY * sum(1 for s in signals if not s.present)
    score -= min(max(-polarity, 0.0) * 20.0, MAX_SENTIMENT_PENALTY)
    if politeness is not None:
        score -= (0.5 - politeness) * 20.0
    return round(min(max(score, 0.0), 100.0))
