#!/usr/bin/env python3
"""Compiles every ```swift block of README.md in a separate package that depends on this one by path.

    Scripts/check-readme-snippets.py [--keep] [--readme README.md]

Needs only the Swift toolchain (and Python 3). It builds the libraries in debug inside a temporary
package, which takes several minutes, so it is not part of `swift test`; run it after changing
README.md. Exit status 0 when every block compiles, 1 otherwise (each failure is printed with the
compiler's messages, which point at README.md lines).

The temporary directory holds a symlink `SwiftTorch` to this checkout, so the path dependency
`.package(path: "../SwiftTorch")` and `package: "SwiftTorch"` read exactly as a user's would
(SwiftPM names a path dependency after its folder). Each block is checked according to the HTML
comment on the line before it (invisible when the README is rendered):

    (none)                          a complete program: compiled as the main.swift of its own executable
    <!-- readme-check: continues --> appended to the previous block's program (one program in two blocks)
    <!-- readme-check: fragment(name: Type, ...) -->
                                    a fragment using names it does not define: compiled as the body of
                                    `func snippet(name: Type, ...) throws`, after `import Foundation`,
                                    `Tensor`, `NN`, `Optim` and `Data` (its own imports are hoisted)
    <!-- readme-check: manifest -->  the dependency snippet: the Package.swift of a user's package, which
                                    must resolve (`swift package describe`) against this checkout
    <!-- readme-check: skip -->      not checked (say why in the README)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!--\s*readme-check:\s*(\w+)\s*(?:\((.*)\))?\s*-->")
PRODUCTS = ["Tensor", "NN", "Optim", "Data", "Experiments"]


def blocks(readme):
    """Yields (line of the first code line, code, marker kind, marker argument) per ```swift block."""
    lines = readme.read_text().split("\n")
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```swift":
            previous = lines[index - 1].strip() if index > 0 else ""
            match = MARKER.fullmatch(previous)
            end = index + 1
            while lines[end].strip() != "```":
                end += 1
            kind, argument = (match.group(1), match.group(2) or "") if match else ("program", "")
            yield index + 2, "\n".join(lines[index + 1:end]), kind, argument
            index = end
        index += 1


def located(code, line, readme):
    return f'#sourceLocation(file: "{readme}", line: {line})\n{code}\n#sourceLocation()\n'


def run(command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return result.returncode, result.stdout + result.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readme", default=str(ROOT / "README.md"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary packages and print their path")
    args = parser.parse_args()
    readme = Path(args.readme).resolve()

    work = Path(tempfile.mkdtemp(prefix="readme-snippets-"))
    (work / "SwiftTorch").symlink_to(ROOT)
    package = work / "Snippets"
    targets, failures, checked = [], [], 0
    program = None  # (target, lines) of the last complete program, for `continues`
    for line, code, kind, argument in blocks(readme):
        name = f"L{line}"
        if kind == "skip":
            print(f"README.md:{line}: skipped (marked)")
            continue
        checked += 1
        if kind == "manifest":
            manifest = work / "Manifest"
            for target in re.findall(r'Target\(\s*name:\s*"([^"]+)"', code):
                (manifest / "Sources" / target).mkdir(parents=True)
                (manifest / "Sources" / target / "main.swift").write_text("")
            (manifest / "Package.swift").write_text(code + "\n")
            status, output = run(["swift", "package", "describe"], manifest)
            if status != 0:
                failures.append((line, "the manifest does not resolve against this checkout", output))
            continue
        if kind == "continues":
            if program is None:
                failures.append((line, "`continues` without a previous program", ""))
                continue
            main_file = package / "Sources" / program / "main.swift"
            main_file.write_text(main_file.read_text() + located(code, line, readme))
            continue
        directory = package / "Sources" / name
        directory.mkdir(parents=True)
        if kind == "fragment":
            imports = [l for l in code.split("\n") if l.startswith("import ")]
            body = "\n".join("" if l.startswith("import ") else l for l in code.split("\n"))
            header = sorted(set(imports) | {f"import {m}" for m in ["Foundation", "Tensor", "NN", "Optim", "Data"]})
            text = "\n".join(header) + f"\n\nfunc snippet({argument}) throws {{\n" + located(body, line, readme) + "}\n"
            (directory / "Fragment.swift").write_text(text)
            program = None
        elif kind == "program":
            (directory / "main.swift").write_text(located(code, line, readme))
            program = name
        else:
            failures.append((line, f"unknown marker `{kind}`", ""))
            continue
        targets.append(name)

    products = ", ".join(f'.product(name: "{p}", package: "SwiftTorch")' for p in PRODUCTS)
    manifest = "// swift-tools-version: 6.0\nimport PackageDescription\n\nlet package = Package(\n"
    manifest += '    name: "Snippets",\n    dependencies: [.package(path: "../SwiftTorch")],\n    targets: [\n'
    for target in targets:
        manifest += f'        .executableTarget(name: "{target}", dependencies: [{products}]),\n'
    manifest += "    ],\n    swiftLanguageModes: [.v6]\n)\n"
    (package / "Package.swift").write_text(manifest)
    for target in targets:
        directory = package / "Sources" / target
        if not (directory / "main.swift").exists():
            (directory / "main.swift").write_text("")  # a fragment's executable does nothing

    print(f"building {len(targets)} snippet targets in {package} (the libraries in debug first) ...", flush=True)
    for target in targets:
        status, output = run(["swift", "build", "--target", target], package)
        line = int(target[1:])
        if status != 0:
            errors = "\n".join(dict.fromkeys(l for l in output.split("\n") if "error:" in l or str(readme) in l))
            failures.append((line, "does not compile", errors or output))
        print(f"README.md:{line}: {'ok' if status == 0 else 'FAILED'}", flush=True)

    for line, message, output in failures:
        print(f"\nREADME.md:{line}: {message}\n{output.strip()}")
    print(f"\n{checked - len(failures)} of {checked} checked blocks pass")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
