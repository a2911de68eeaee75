"""Make a demo workbook whose SLA is signed by both its signatories, for the bundle's smoke
test (packaging/smoke.sh) to export and verify with the bundled command.

    .venv/bin/python packaging/sign_demo.py OUT.awb

Runs from the source tree, not the bundle: no command signs (signing needs each signer's
password, typed in the app's sign-off dialog), and a bundle runs no scripts of its own.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.signing import SignOff  # noqa: E402
from workbench import identities  # noqa: E402
from workbench.workbook import Workbook  # noqa: E402

AUTHORITY_PASSWORD = "smoke test authority, tarball 7"


def signed_demo(path: Path) -> None:
    """Create the demo at `path` and sign its newest SLA version by every signatory."""
    with tempfile.TemporaryDirectory(prefix="aw-keys-") as keys, \
            Workbook.create(path, "demo") as workbook:
        data_dir = Path(keys)
        identities.create_authority(workbook, data_dir, AUTHORITY_PASSWORD)
        version_id = workbook.sla.versions()[-1].id
        session = SignOff(workbook, version_id, data_dir)
        for signatory in workbook.sla.signatories(version_id):
            password = f"smoke test signer {signatory.id}, tarball"
            _, identity = identities.issue_identity(workbook, data_dir, AUTHORITY_PASSWORD,
                                                    signatory.name, "", password)
            session.sign(signatory.id, identity.sha256, password, consent=True)
        session.finish(data_dir / "signed.pdf")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    signed_demo(Path(sys.argv[1]))
    print(f"Wrote {sys.argv[1]}: the demo with its SLA signed")
