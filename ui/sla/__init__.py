"""The SLA screens: the agreement's editor with a live PDF preview, the redline, signing
identities, the sign-off dialog and signature verification."""
