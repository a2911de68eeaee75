"""Print the forgery suite as a table: each case, our verdict and reason, and pyHanko's
command-line validator's judgement (trusting only the workbook's root).

    .venv/bin/python -m tests.reports.forgery_table
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from reports.verify import verify_pdf
from workbench.workbook import Workbook

from .forgeries import FORGERIES, make_signed, pyhanko_cli


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="forgeries-"))
    Workbook.create(folder / "demo.awb", "demo").close()
    genuine = make_signed(folder / "demo.awb", folder / "genuine")
    root = folder / "root.pem"
    root.write_bytes(genuine.root_pem)
    cases = {"the genuine file": lambda g: g.pdf, **FORGERIES}
    print("| case | `verify` | its reason | pyHanko CLI |")
    print("|---|---|---|---|")
    for name, build in cases.items():
        path = folder / "case.pdf"
        path.write_bytes(build(genuine))
        verdict = verify_pdf(path, [genuine.root_pem])
        reasons = [*verdict.problems, *(p for s in verdict.signatures for p in s.problems)]
        unverified = [s for s in verdict.signatures if s.sound and not s.ok]
        if unverified:
            reasons.append(f"{unverified[0].field_name}: root not trusted")
        valid, _ = pyhanko_cli(path, root)
        print(f"| {name} | {verdict.outcome.value} | {(reasons or ['—'])[0]} | "
              f"{'valid' if valid else 'rejected'} |")


if __name__ == "__main__":
    main()
