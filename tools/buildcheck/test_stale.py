#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""The build never keeps a stale object (docs/build.md, "Stale objects").

In a scratch copy of this tree and its build/ (a build directory copied
into another checkout is reused as it is: no command names an absolute
path), two sources that the team saw left stale are changed
(kernel/arch/arm/vcpu_entry.S: twelve kernel configurations, every kernel
image; libl4/src/previrt/enter.S: every pre-virtualised guest and the
systems that embed one) and `scons test` is run with a suite that fails;
the sources are restored and the tree is built again. Every object and
image that the change had changed must then be, byte for byte, what a
clean build of it gives (each deleted and built once more). Before the fix
the failing suite ended SCons from inside an action, before it wrote
build/.sconsign, so the restored sources matched the record of the build
before the change and the changed objects and images stayed.
Also: a second scons waits for the one that holds build/.lock; a change to
any Python module of a tool a build step runs (the
rewriter, sysgen) rebuilds what the step made.

Prints `N passed, N failed`.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHANGED = {
    'kernel/arch/arm/vcpu_entry.S': '\t.text\n\tnop\n',
    'libl4/src/previrt/enter.S': '\t.text\n\tnop\n',
}
# Among what the change must reach (so the check is not empty): the
# objects and images seen stale, and one pre-virtualised system image.
MUST_CHANGE = [
    'build/kernel/release/arch/arm/vcpu_entry.o', 'build/kernel/bench/arch/arm/vcpu_entry.o',
    'build/kernel/release-stripped/arch/arm/vcpu_entry.o', 'build/images/systest.elf',
    'build/test/trace/config-release-stripped.elf', 'build/test/trace/bench-stripped.elf',
    'build/guests/rtos/previrt/rt/libl4/src/previrt/enter.o',
    'build/guests/rtos/previrt/rtos-tests.elf', 'build/images/rtos-previrt-tests.elf',
]
# A module of a tool that a build step runs, and what the step makes.
TOOL_MODULES = [('tools/previrt/memsite.py', 'build/guests/rtos/previrt/core/'),
                ('tools/sysgen/sysgen_c.py', 'SYSGEN  build/gen/systems/')]
# Not part of the build's products (or large and unrelated): left out of the copy.
SKIP = {'build/compare', 'build/coverage', 'build/bench', 'build/run', 'build/trace'}


def copy_tree(dst):
    for d in os.listdir(TOP):
        if d in ('.git',):
            continue
        src = os.path.join(TOP, d)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dst, d), symlinks=True,
                            ignore=lambda path, names: [n for n in names if n == '__pycache__' or
                                                        os.path.relpath(os.path.join(path, n), TOP)
                                                        in SKIP])
        else:
            shutil.copy2(src, dst)


def products(tree):
    """{path: sha1} of every object and ELF under build/."""
    out = {}
    for d, _, files in os.walk(os.path.join(tree, 'build')):
        for f in files:
            if f.endswith(('.o', '.elf', '.a')):
                p = os.path.join(d, f)
                with open(p, 'rb') as fh:
                    out[os.path.relpath(p, tree)] = hashlib.sha1(fh.read()).hexdigest()
    return out


def scons(tree, *args):
    env = dict(os.environ)
    env.pop('SUITES', None)
    return subprocess.run(['scons', '-Q'] + list(args), cwd=tree, capture_output=True, text=True,
                          timeout=600, env=env)


class Stop(Exception):
    pass


def check_lock(tree):
    """One scons at a time per checkout: with build/.lock held (as a running
    scons holds it), a second scons says it waits, and does not end until the
    lock is released. None, or what went wrong."""
    import fcntl
    import threading
    with open(os.path.join(tree, 'build', '.lock'), 'a+') as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        env = dict(os.environ)
        env.pop('SUITES', None)
        p = subprocess.Popen(['scons', '-Q', 'build/gen/include/l4/abi.h'], cwd=tree, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        err, said = [], threading.Event()

        def read():
            for line in p.stderr:
                err.append(line)
                if 'waiting for it' in line:
                    said.set()
        reader = threading.Thread(target=read)
        reader.start()
        said.wait(120)  # it says so before it reads the SConscripts
        time.sleep(1)
        ended_while_held = p.poll() is not None
    out = p.stdout.read()
    p.wait(600)
    reader.join()
    err = ''.join(err)
    if not said.is_set() or ended_while_held:
        return ('a second scons did not wait for build/.lock: status %s\n%s'
                % (p.returncode, (out + err)[-2000:]))
    if p.returncode != 0:
        return 'status %d once the lock was released:\n%s' % (p.returncode, (out + err)[-2000:])
    return None


def main():
    passed = failed = 0
    start = time.time()
    tree = tempfile.mkdtemp(prefix='stale-tree-')
    try:
        copy_tree(tree)
        why = check_lock(tree)
        print('%s build-lock%s' % ('FAIL' if why else 'PASS', ': ' + why if why else ''))
        passed, failed = passed + (not why), failed + bool(why)
        # The tools' own modules: a change to any module a tool imports
        # rebuilds what the tool made (the rewriter's memsite.py and sysgen's
        # sysgen_c.py were undeclared).
        for module, made in TOOL_MODULES:
            path = os.path.join(tree, module)
            with open(path) as fh:
                text = fh.read()
            with open(path, 'a') as fh:
                fh.write('# changed\n')
            r = scons(tree, '-n')
            with open(path, 'w') as fh:
                fh.write(text)
            if made not in r.stdout:
                print('FAIL tool-module: %s changed, scons -n rebuilds no %s\n%s'
                      % (module, made, (r.stdout + r.stderr)[-2000:]))
                failed += 1
            else:
                print('PASS tool-module: %s changed, %d targets to rebuild'
                      % (module, r.stdout.count(made)))
                passed += 1
        before = products(tree)
        originals = {}
        for f, extra in CHANGED.items():
            with open(os.path.join(tree, f)) as fh:
                originals[f] = fh.read()
            with open(os.path.join(tree, f), 'a') as fh:
                fh.write(extra)
        abi = os.path.join(tree, 'docs/reference/abi.md')
        with open(abi) as fh:
            originals['docs/reference/abi.md'] = fh.read()
        with open(abi, 'a') as fh:  # suite abi-docs fails on a stale reference table
            fh.write('\nnot what abi.def generates\n')
        r = scons(tree, 'test', 'SUITES=abi-docs')
        last = r.stdout.strip().splitlines()[-1:] or ['']
        if r.returncode == 0 or last != ['0 passed, 1 failed']:
            raise Stop('test-run-fails: status %d, last line %r\n%s'
                       % (r.returncode, last, (r.stdout + r.stderr)[-3000:]))
        changed = products(tree)
        touched = sorted(p for p in changed if changed[p] != before.get(p))
        missing = [p for p in MUST_CHANGE if p not in touched]
        if missing:
            print('FAIL change-reaches: the change did not reach %s' % missing)
            failed += 1
        else:
            print('PASS change-reaches: %d objects and images changed' % len(touched))
            passed += 1
        for f, text in originals.items():
            with open(os.path.join(tree, f), 'w') as fh:
                fh.write(text)
        r = scons(tree)
        if r.returncode != 0:
            raise Stop('restored-builds: %s' % (r.stdout + r.stderr)[-3000:])
        restored = products(tree)
        for p in touched:
            os.remove(os.path.join(tree, p))
        r = scons(tree)
        if r.returncode != 0:
            raise Stop('clean-builds: %s' % (r.stdout + r.stderr)[-3000:])
        clean = products(tree)
        stale = [p for p in touched if restored.get(p) != clean.get(p)]
        if stale:
            print('FAIL restored-is-clean: %d of %d differ from a clean build, e.g. %s'
                  % (len(stale), len(touched), stale[:8]))
            failed += 1
        else:
            print('PASS restored-is-clean: all %d as a clean build gives them' % len(touched))
            passed += 1
    except Stop as e:
        print('FAIL %s' % e)
        failed += 1
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    print('(%.0f s)' % (time.time() - start))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
