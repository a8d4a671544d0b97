"""Time the politeness model against the spaCy parse it runs on.

Run: ``python models/politeness/bench_runtime.py``. Prints, per text, the median time of
``nlp(text)``, of ``PolitenessModel.predict_proba(doc)`` and of ``score_doc_and_sentences(doc)``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from tonecheck.politeness_data import load_spacy
from tonecheck.politeness_model import PolitenessModel, score_doc_and_sentences

TEXTS = (
    "Could you please tell me what I could improve in my application?",
    "Dear Ms Smith, thank you for letting me know. I was disappointed, of course, but I "
    "understand. Would you be willing to share any feedback on my interview? I would "
    "really appreciate it, and I hope to apply again in the future.",
    "Why was I rejected? I have more experience than anyone you hired. Explain your "
    "decision and send me the interview notes by Friday. I expect an answer.",
)


def _median_ms(fn: Callable[[], object], repeat: int = 200) -> float:
    for _ in range(20):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    nlp = load_spacy()
    model = PolitenessModel.load()
    for text in TEXTS:
        doc = nlp(text)
        parse = _median_ms(lambda text=text: nlp(text))
        whole = _median_ms(lambda doc=doc: model.predict_proba(doc))
        both = _median_ms(lambda doc=doc: score_doc_and_sentences(doc, model))
        print(
            f"{len(doc):3d} tokens: parse {parse:.3f} ms, doc score {whole:.3f} ms "
            f"({whole / parse:.1%}), doc + sentence scores {both:.3f} ms ({both / parse:.1%})"
        )


if __name__ == "__main__":
    main()
