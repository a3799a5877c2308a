"""placeholder"""

from fastapi import FastAPI


def register(app: FastAPI, state: object) -> None:
    return
