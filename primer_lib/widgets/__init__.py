"""The thin UI layer: live charts, controls, the app pattern and self-checks."""
