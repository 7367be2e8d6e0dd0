"""A PEP 517 build backend in the standard library only, so that
``pip install ./python`` works offline and on a bare Python: it needs no
setuptools or wheel (pip's isolated build installs nothing, as
``requires = []``). It reads ``[project]`` from pyproject.toml and packs the
``sightline`` package into a pure-Python wheel (``py3-none-any``)."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "sightline"


def _project() -> Tuple[Dict[str, str], Dict[str, str]]:
    """The string fields of [project] and the entries of [project.scripts]; our own
    file, written one ``key = "value"`` per line (tomllib is not in Python 3.9/3.10)."""
    fields: Dict[str, str] = {}
    scripts: Dict[str, str] = {}
    section = ""
    with open(os.path.join(HERE, "pyproject.toml")) as f:
        for line in f:
            line = line.strip()
            m = re.match(r"^\[(.+)\]$", line)
            if m:
                section = m.group(1)
                continue
            m = re.match(r'^([A-Za-z0-9_-]+)\s*=\s*"(.*)"$', line)
            if m and section == "project":
                fields[m.group(1)] = m.group(2)
            elif m and section == "project.scripts":
                scripts[m.group(1)] = m.group(2)
    return fields, scripts


def _files() -> List[str]:
    out = []
    for d, dirs, names in os.walk(os.path.join(HERE, PACKAGE)):
        dirs[:] = sorted(x for x in dirs if x != "__pycache__")
        out += [os.path.relpath(os.path.join(d, n), HERE) for n in sorted(names) if n.endswith((".py", ".typed"))]
    return out


def _metadata() -> str:
    p, _ = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {p['name']}", f"Version: {p['version']}",
             f"Summary: {p.get('description', '')}", f"Requires-Python: {p.get('requires-python', '>=3.9')}"]
    readme = os.path.join(HERE, "README.md")
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme) as f:
            return "\n".join(lines) + "\n\n" + f.read()
    return "\n".join(lines) + "\n"


def _dist_info() -> str:
    p, _ = _project()
    return f"{p['name']}-{p['version']}.dist-info"


def _meta_files() -> Dict[str, str]:
    _, scripts = _project()
    entry = "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())
    wheel = "Wheel-Version: 1.0\nGenerator: sightline_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {"METADATA": _metadata(), "WHEEL": wheel, "entry_points.txt": entry}


def _write_wheel(wheel_directory: str, contents: List[Tuple[str, bytes]]) -> str:
    p, _ = _project()
    name = f"{p['name']}-{p['version']}-py3-none-any.whl"
    info = _dist_info()
    record: List[str] = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in contents + [(f"{info}/{k}", v.encode()) for k, v in _meta_files().items()]:
            z.writestr(arc, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arc},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return name


def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


get_requires_for_build_sdist = get_requires_for_build_editable = get_requires_for_build_wheel


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[dict] = None) -> str:
    info = os.path.join(metadata_directory, _dist_info())
    os.makedirs(info, exist_ok=True)
    for k, v in _meta_files().items():
        with open(os.path.join(info, k), "w") as f:
            f.write(v)
    return _dist_info()


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    contents = []
    for rel in _files():
        with open(os.path.join(HERE, rel), "rb") as f:
            contents.append((rel.replace(os.sep, "/"), f.read()))
    return _write_wheel(wheel_directory, contents)


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None, metadata_directory: Optional[str] = None) -> str:
    # PEP 660: a .pth file that puts this folder on sys.path.
    return _write_wheel(wheel_directory, [(f"_{PACKAGE}_editable.pth", (HERE + "\n").encode())])


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    p, _ = _project()
    base = f"{p['name']}-{p['version']}"
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for rel in _files() + ["pyproject.toml", "README.md", "_build/sightline_build.py"]:
            if os.path.exists(os.path.join(HERE, rel)):
                t.add(os.path.join(HERE, rel), arcname=f"{base}/{rel}")
        pkg = _metadata().encode()
        ti = tarfile.TarInfo(f"{base}/PKG-INFO")
        ti.size = len(pkg)
        t.addfile(ti, io.BytesIO(pkg))
    return name
