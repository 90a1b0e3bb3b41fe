"""The production entry point: ``uvicorn jobnet.asgi:app`` (settings from the environment)."""
from jobnet.app import create_app

app = create_app()
