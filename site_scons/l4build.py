# SPDX-License-Identifier: BSD-2-Clause
"""All build logic lives here; SConscripts only list sources.

Environments (created once in make_envs):
  host    native gcc with ASan/UBSan, for tools and unit tests
  kernel  arm-none-eabi, freestanding, warnings are errors
  user    arm-none-eabi with newlib, for root tasks, servers, native components
  bare    arm-none-eabi freestanding, for guests built to run on bare QEMU

Test suites register themselves with add_suite(); `scons test` runs them all
through tools/testrun.py, which prints the one closing `N passed, N failed`.
Benchmarks register with add_bench(); `scons bench` runs them all.
"""
import os
import sys

from SCons.Script import (Action, AlwaysBuild, Alias, Builder, Default,
                          Environment, File, Dir, Value)

CROSS = 'arm-none-eabi-'
ARCH_FLAGS = ['-mcpu=cortex-a15', '-marm', '-mfloat-abi=soft']
WARN = ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter']

_suites = []   # (name, kind, command list, dependencies)
_benches = []  # (name, image)


def _cross(base, extra_cflags):
    env = base.Clone(
        CC=CROSS + 'gcc', AS=CROSS + 'gcc', AR=CROSS + 'ar', RANLIB=CROSS + 'ranlib',
        LINK=CROSS + 'gcc', OBJCOPY=CROSS + 'objcopy', OBJDUMP=CROSS + 'objdump',
        PROGSUFFIX='.elf')
    env.Replace(CFLAGS=['-std=gnu11'],
                CCFLAGS=ARCH_FLAGS + ['-g', '-O2', '-fno-common'] + WARN + extra_cflags,
                ASFLAGS=ARCH_FLAGS + ['-g', '-D__ASSEMBLY__'],
                ASPPFLAGS=['$ASFLAGS'],
                LINKFLAGS=ARCH_FLAGS + ['-Wl,--build-id=none', '-Wl,-z,noexecstack'])
    env['ASCOM'] = '$CC $ASFLAGS $_CPPDEFFLAGS $_CPPINCFLAGS -c -o $TARGET $SOURCES'
    env['ASPPCOM'] = env['ASCOM']
    return env


def make_envs(root):
    base = Environment(ENV={'PATH': os.environ['PATH']}, tools=['default', 'textfile'])
    base['ROOT'] = root
    base['PYTHON'] = sys.executable
    base.Append(BUILDERS={'AbiGen': Builder(action=Action(
        '$PYTHON ${SOURCES[0]} ${SOURCES[1]} $TARGETS', '  ABIGEN  $TARGETS'))})
    if not os.environ.get('VERBOSE'):
        base['CCCOMSTR'] = '  CC      $TARGET'
        base['ASCOMSTR'] = '  AS      $TARGET'
        base['ASPPCOMSTR'] = '  AS      $TARGET'
        base['LINKCOMSTR'] = '  LD      $TARGET'
        base['ARCOMSTR'] = '  AR      $TARGET'
        base['RANLIBCOMSTR'] = '  RANLIB  $TARGET'

    host = base.Clone()
    san = ['-fsanitize=address,undefined', '-fno-omit-frame-pointer',
           '-fno-sanitize-recover=all']
    host.Replace(CFLAGS=['-std=gnu11'], CCFLAGS=['-g', '-O1'] + WARN + san,
                 LINKFLAGS=san)

    kernel = _cross(base, ['-ffreestanding', '-nostdinc', '-mgeneral-regs-only',
                           '-fno-builtin', '-fno-strict-aliasing'])
    kernel.Append(LINKFLAGS=['-nostdlib', '-static'], LIBS=['gcc'])

    user = _cross(base, ['-ffunction-sections', '-fdata-sections'])
    user.Append(LINKFLAGS=['-static', '-nostartfiles', '-Wl,--gc-sections'])
    # libl4 and newlib refer to each other (_write, exit): link them as a group.
    user['LINKCOM'] = ('$LINK -o $TARGET $LINKFLAGS $SOURCES $_LIBDIRFLAGS '
                       '-Wl,--start-group $_LIBFLAGS -Wl,--end-group')

    bare = _cross(base, ['-ffreestanding', '-fno-builtin'])
    bare.Append(LINKFLAGS=['-nostdlib', '-static'], LIBS=['gcc'])
    return host, kernel, user, bare


def embed_blob(env, target, blob, section):
    """Assemble `blob` into an object whose data lands in `section`."""
    return env.Command(target, blob, Action(
        "printf '.section %s,\"a\"\\n.balign 4096\\n.incbin \"%s\"\\n' > ${TARGET}.S && "
        "$CC $ASFLAGS -c -o $TARGET ${TARGET}.S" % (section, '${SOURCE.abspath}'),
        '  EMBED   $TARGET'))


def add_suite(name, kind, command, deps):
    """kind: 'cmocka' (parse CMocka summary), 'plain' (last line N passed, N failed)."""
    _suites.append((name, kind, command, deps))


def add_bench(name, image):
    _benches.append((name, image))


def suites():
    return list(_suites)


def benches():
    return list(_benches)


_kernel = {}


def set_kernel(env, objects, linker_script):
    _kernel.update(env=env, objects=objects, ld=linker_script)


def kernel_image(name, root_elf):
    """build/images/NAME.elf: the kernel with `root_elf` embedded as its root task."""
    env = _kernel['env']
    blob = embed_blob(env, '#build/images/%s.root.o' % name, root_elf, '.rootimage')
    img = env.Program('#build/images/%s.elf' % name, _kernel['objects'] + blob,
                      LINKFLAGS=env['LINKFLAGS'] + ['-T', _kernel['ld'].abspath,
                                                    '-Wl,-Map,${TARGET}.map'])
    env.Depends(img, _kernel['ld'])
    return img[0]


_user = {}


def set_user(env, lib, crt0, linker_script):
    _user.update(env=env, lib=lib, crt0=crt0, ld=linker_script)


def user_env():
    """An environment for user programs linked against libl4 and newlib."""
    env = _user['env'].Clone()
    env.Append(LINKFLAGS=['-T', _user['ld'].abspath])
    env.Prepend(LIBS=[_user['lib'], 'c', 'gcc'])
    return env


def user_program(env, target, sources):
    objs = [o for s in sources for o in (env.Object(s) if str(s).endswith('.c') else [s])]
    prog = env.Program(target, _user['crt0'] + objs,
                       LIBS=[_user['lib'], 'c', 'gcc'])
    env.Depends(prog, _user['ld'])
    return prog[0]
