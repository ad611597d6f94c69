"""Time taken to read a PDF's accessibility on upload, for a short and a 500-page file.

    .venv/bin/python bench/pdf_reading.py

Three 500-page files, as the team may upload them: tagged text, untagged text, and a scan
(images only, where text is looked for on every sampled page and found nowhere). Each is
read by diagnostic.pdf_accessibility.read_accessibility (best of three runs), beside the
page count that inspect_document already read before this analysis existed. The script
exits with status 1 when a 500-page file takes more than BUDGET_SECONDS: the upload in
the admin waits for it.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")

BUDGET_SECONDS = 2.0
PAGES = 500


def best_of(runs, function):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    import django

    django.setup()
    from diagnostic import files
    from diagnostic.pdf_accessibility import read_accessibility
    from tests.diagnostic.pdfs import scanned_pdf, tagged_pdf, text_pdf

    samples = [
        ("balisé, 1 page", tagged_pdf()),
        (f"balisé, {PAGES} pages", tagged_pdf(pages=PAGES)),
        (f"non balisé, {PAGES} pages", text_pdf(pages=PAGES)),
        (f"scanné, {PAGES} pages", scanned_pdf(pages=PAGES, size=(310, 438))),
    ]
    read_accessibility(io.BytesIO(samples[0][1]))  # pypdf's first call loads its tables
    print("| PDF | taille | lecture de l'accessibilité | nombre de pages (déjà lu) |")
    print("| --- | ---: | ---: | ---: |")
    over = []
    for label, data in samples:
        reading = best_of(3, lambda data=data: read_accessibility(io.BytesIO(data)))
        counting = best_of(3, lambda data=data: files.inspect_document(io.BytesIO(data)))
        size = files.human_size(len(data)).replace("\u00a0", " ")
        print(f"| {label} | {size} | {reading * 1000:.0f} ms | {counting * 1000:.0f} ms |")
        if reading > BUDGET_SECONDS:
            over.append(label)
    if over:
        print(f"Plus de {BUDGET_SECONDS} s : {', '.join(over)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
