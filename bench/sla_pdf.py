"""Benchmark: build and sign the demo SLA with two signers (target ≤ 1.5 s in total).

    .venv/bin/python bench/sla_pdf.py

Prints the best of five runs of the whole sign-off (document from the workbook, PDF
layout, two PAdES signatures, recording, atomic write) and, as the baseline in the same
run, the best of five PDF layouts alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.signing import SignOff  # noqa: E402
from reports.sla_pdf import build_sla_pdf  # noqa: E402
from workbench import identities  # noqa: E402
from workbench.sla_terms import build_document  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

RUNS = 5
TARGET = 1.5


AUTHORITY_PASSWORD = "bench lantern authority quill"
SIGNER_PASSWORD = "signer harbour violet lantern"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sla-bench-"))
    source = folder / "demo.awb"
    Workbook.create(source, "demo").close()
    keys = folder / "keys"
    with Workbook.open(source) as workbook:
        identities.create_authority(workbook, keys, AUTHORITY_PASSWORD)
        signer_ids = {}
        for signatory in workbook.sla.signatories(workbook.sla.versions()[-1].id):
            _, identity = identities.issue_identity(workbook, keys, AUTHORITY_PASSWORD,
                                                    signatory.name, "", SIGNER_PASSWORD)
            signer_ids[signatory.name] = identity.sha256
        build_sla_pdf(build_document(workbook, workbook.sla.versions()[-1].id))  # warm fonts
    sign_times, build_times = [], []
    for run in range(RUNS):
        copy = folder / f"run{run}.awb"
        copy.write_bytes(source.read_bytes())
        with Workbook.open(copy) as workbook:
            version_id = workbook.sla.versions()[-1].id
            start = time.perf_counter()
            build_sla_pdf(build_document(workbook, version_id))
            build_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            session = SignOff(workbook, version_id, keys)
            for signatory in workbook.sla.signatories(version_id):
                session.sign(signatory.id, signer_ids[signatory.name], SIGNER_PASSWORD,
                             consent=True)
            session.finish(folder / f"run{run}.pdf")
            sign_times.append(time.perf_counter() - start)
    total, build = min(sign_times), min(build_times)
    print(f"build + sign, two signers: {total:.3f} s (best of {RUNS}; target ≤ {TARGET} s: "
          f"{'met' if total <= TARGET else 'MISSED'})")
    print(f"build only (baseline):     {build:.3f} s  → signing costs {total / build:.2f}× "
          "the layout alone")


if __name__ == "__main__":
    main()
