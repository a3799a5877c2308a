"""What one system's server is built from: the world to serve and where it listens."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SandboxSettings(BaseModel):
    """Settings handed to each system's ``build_app(settings)``.

    `counts` overrides the sizes of `scale` entity by entity (see `sandbox.world.SCALES`).
    `port` is the port the server will listen on (FreeAgent puts it into record URLs).
    """

    seed: int = 1
    scale: str = "small"
    counts: dict[str, int] | None = None
    host: str = "127.0.0.1"
    port: int = 0
    request_log_size: int = Field(default=2000, ge=1)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
