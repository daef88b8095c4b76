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
import atexit
import os
import shlex
import sys
import SCons.Errors
import SCons.Node

from SCons.Script import (ARGUMENTS, COMMAND_LINE_TARGETS, Action, AlwaysBuild, Alias, Builder,
                          Default, Environment, Exit, File, Dir, Value)

CROSS = 'arm-none-eabi-'
# Floating point (docs/build.md, "Floating point"). The kernel is soft-float
# and -mgeneral-regs-only: it never touches VFP registers outside its switch
# routine. User code chooses per image: SOFT_FLOAT (no VFP instruction ever,
# so the thread never takes the FPU's first-use trap) or HARD_FLOAT, the
# Cortex-A15's VFPv4-D32 with NEON and the hard-float procedure call standard
# (newlib's thumb/v7ve+simd/hard multilib). GUEST_KERNEL_FLOAT: hard-float
# calls, but no VFP register in the code itself, for guest kernels whose
# tasks are hard-float but which must not touch a task's registers.
SOFT_FLOAT = ['-mfloat-abi=soft']
HARD_FLOAT = ['-mfloat-abi=hard', '-mfpu=neon-vfpv4']
GUEST_KERNEL_FLOAT = HARD_FLOAT + ['-mgeneral-regs-only']
ARCH_FLAGS = ['-mcpu=cortex-a15', '-marm']
WARN = ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter']

_suites = []   # (name, kind, command list, dependencies, boots)
_benches = []  # (name, image)


def _cross(base, extra_cflags, float_flags=SOFT_FLOAT, opt='-O2'):
    env = base.Clone(
        CC=CROSS + 'gcc', AS=CROSS + 'gcc', AR=CROSS + 'ar', RANLIB=CROSS + 'ranlib',
        LINK=CROSS + 'gcc', OBJCOPY=CROSS + 'objcopy', OBJDUMP=CROSS + 'objdump',
        PROGSUFFIX='.elf')
    arch = ARCH_FLAGS + float_flags
    env.Replace(CFLAGS=['-std=gnu11'],
                CCFLAGS=arch + ['-g', opt, '-fno-common'] + WARN + extra_cflags,
                ASFLAGS=arch + ['-g', '-D__ASSEMBLY__'],
                ASPPFLAGS=['$ASFLAGS'],
                LINKFLAGS=arch + ['-Wl,--build-id=none', '-Wl,-z,noexecstack'])
    env['ASCOM'] = '$CC $ASFLAGS $_CPPDEFFLAGS $_CPPINCFLAGS -c -o $TARGET $SOURCES'
    env['ASPPCOM'] = env['ASCOM']
    return env


_lock = []  # the open lock file of this checkout's build/, held until this process exits


def lock_checkout(path):
    """One scons at a time per checkout: take the lock `path` (build/.lock),
    waiting for the scons that holds it. Two builds at once in one build/
    each write build/.sconsign from what they loaded when they started, the
    last over the other's, so targets stay on disk that the record says were
    built from other sources (docs/build.md, "Stale objects"). Held until
    the process ends, the suites of `scons test` included; children do not
    inherit it. `scons -n` (which writes nothing) does not take it."""
    import fcntl
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    f = open(path, 'a+')
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or 'another scons'
        sys.stderr.write('scons: %s is building in this checkout (%s): waiting for it\n'
                         % (holder, path))
        sys.stderr.flush()
        fcntl.flock(f, fcntl.LOCK_EX)
    f.seek(0)
    f.truncate()
    f.write('scons pid %d\n' % os.getpid())
    f.flush()
    _lock.append(f)


def make_envs(root, debug=False):
    """debug (scons DEBUG=1): user programs and guests are built at -Og, for
    the debugger (docs/build.md)."""
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
                           '-fno-builtin', '-fno-strict-aliasing',
                           # globals of one file addressed from one base register
                           '-fsection-anchors'])
    kernel.Append(LINKFLAGS=['-nostdlib', '-static'], LIBS=['gcc'])

    opt = '-Og' if debug else '-O2'
    user = _user_base(base, SOFT_FLOAT, opt)
    bare = _bare_base(base, SOFT_FLOAT, opt)
    return host, kernel, user, bare


def _user_base(base, float_flags, opt='-O2'):
    user = _cross(base, ['-ffunction-sections', '-fdata-sections'], float_flags, opt)
    user.Append(LINKFLAGS=['-static', '-nostartfiles', '-Wl,--gc-sections'])
    # libl4 and newlib refer to each other (_write, exit): link them as a group.
    user['LINKCOM'] = ('$LINK -o $TARGET $LINKFLAGS $SOURCES $_LIBDIRFLAGS '
                       '-Wl,--start-group $_LIBFLAGS -Wl,--end-group')
    user['FLOAT'] = 'hard' if float_flags is HARD_FLOAT else 'soft'
    return user


def _bare_base(base, float_flags, opt='-O2'):
    bare = _cross(base, ['-ffreestanding', '-fno-builtin'], float_flags, opt)
    bare.Append(LINKFLAGS=['-nostdlib', '-static'], LIBS=['gcc'])
    return bare


def hard_float(env):
    """A clone of a cross environment (user, bare or one made from them)
    compiling and linking for HARD_FLOAT; general_regs_only code in it (a
    guest kernel) is compiled with GUEST_KERNEL_FLOAT instead."""
    new = env.Clone()
    for var in ('CCFLAGS', 'ASFLAGS', 'LINKFLAGS'):
        new[var] = [f for f in new[var] if f not in SOFT_FLOAT] + HARD_FLOAT
    new['FLOAT'] = 'hard'
    return new


def guest_kernel_float(env):
    """HARD_FLOAT calls, but no VFP register use (a guest kernel's own code)."""
    new = hard_float(env)
    new.Append(CCFLAGS=['-mgeneral-regs-only'])
    return new


def platform_devices(env, devices_def):
    """build/gen/plat/devices.c: the kernel's device table (plat_devices)
    generated from the board's devices file, the one table sysgen checks
    device regions against too (tools/sysgen/platgen.py)."""
    return env.Command('#build/gen/plat/devices.c',
                       [devices_def, '#tools/sysgen/platgen.py', '#tools/sysgen/sysparse.py'],
                       Action('$PYTHON ${SOURCES[1]} ${SOURCES[0]} $TARGET', '  PLATGEN $TARGET'))


def host32_env(host):
    """`host` building 32-bit programs (gcc -m32: Debian's gcc-multilib with
    the i386 libraries, e.g. libcmocka-dev:i386), so host unit tests also
    run with the target's 4-byte pointers and 32-byte CNode slots."""
    env = host.Clone()
    env.Append(CCFLAGS=['-m32'], LINKFLAGS=['-m32'])
    return env


def embed_blob(env, target, blob, section):
    """Assemble `blob` into an object whose data lands in `section`."""
    return env.Command(target, blob, Action(
        "printf '.section %s,\"a\"\\n.balign 4096\\n.incbin \"%s\"\\n' > ${TARGET}.S && "
        "$CC $ASFLAGS -c -o $TARGET ${TARGET}.S" % (section, '${SOURCE}'),
        '  EMBED   $TARGET'))


def add_suite(name, kind, command, deps, boots=False):
    """kind: 'cmocka' (parse CMocka summary), 'plain' (last line N passed, N failed).
    boots: the command boots kernel images through tools/qemurun's Python
    module (not its command line), so `scons coverage` runs it too."""
    _suites.append((name, kind, command, deps, boots))


def add_bench(name, image, mode=None):
    """mode: the image runs the native RTOS benchmarks another way
    (e.g. 'previrt'): its rtos_<x>_native records become rtos_<x>_<mode>."""
    _benches.append((name, image, mode))


def suites():
    return list(_suites)


def benches():
    return [(n, img) for (n, img, mode) in _benches]


# --- Static analysis of the kernel (docs/testing.md) ---------------------------
_analysed = []  # (configuration name, compile database node)


def analyse_kernel(env, sources, config):
    """Describe how the kernel's C `sources` are compiled in configuration
    `config` (build/analysis/kernel-CONFIG.json: compiler, flags, include
    path, sources), for the suites `analyzer` and `cppcheck`
    (tools/analysis/static.py). Call once per configuration the kernel is
    built in."""
    import json
    srcs = sorted(File(s).srcnode().path for s in env.Flatten(sources) if str(s).endswith('.c'))
    db = {'config': config, 'cc': env.subst('$CC'),
          'flags': [f for f in env.subst('$CFLAGS $CCFLAGS', raw=0).split() if f != '-Werror'],
          'includes': [Dir(d).srcnode().path for d in env['CPPPATH']],
          'defines': [env.subst(str(d)) for d in env.get('CPPDEFINES', [])],
          'sources': srcs}
    target = '#build/analysis/kernel-%s.json' % config
    node = env.Command(target, Value(json.dumps(db, indent=1)), Action(
        lambda target, source, env: open(str(target[0]), 'w').write(
            source[0].get_contents().decode() + '\n') and None, '  GEN     $TARGET'))
    if 'KERNEL_CONFIG_HEADER' in env:  # the configuration's generated header
        env.Depends(node, env['KERNEL_CONFIG_HEADER'])
    _analysed.append((config, node[0]))
    return node


_eva = {}


def eva_drivers(drivers, planted):
    """Frama-C Eva drivers for the suite `eva` (tools/analysis/eva.py):
    (name, driver C file, kernel sources, Eva options) each, and the driver
    with a planted defect that must give exactly one alarm."""
    here = lambda f: File(f).srcnode().path
    _eva['drivers'] = [{'name': n, 'sources': [here(d)] + [here(k) for k in ks], 'options': o}
                       for (n, d, ks, o) in drivers]
    _eva['planted'] = here(planted)
    _eva['deps'] = [File(d) for (n, d, ks, o) in drivers] + [File(planted)] + [
        File(k) for (n, d, ks, o) in drivers for k in ks]


def register_analysis_suites(python):
    """The suites `analyzer` and `cppcheck` over every configuration given
    to analyse_kernel."""
    dbs = [n for (c, n) in _analysed]
    tool = File('#tools/analysis/static.py')
    for kind in ('analyzer', 'cppcheck'):
        add_suite(kind, 'plain', '%s tools/analysis/static.py %s %s' % (
            python, kind, ' '.join(d.path for d in dbs)), dbs + [tool])
    if _eva and dbs:
        import json
        env = Environment(tools=[])
        spec = env.Command('#build/analysis/eva.json', Value(json.dumps(
            {'drivers': _eva['drivers'], 'planted': _eva['planted']}, indent=1)), Action(
            lambda target, source, env: open(str(target[0]), 'w').write(
                source[0].get_contents().decode() + '\n') and None, '  GEN     $TARGET'))
        add_suite('eva', 'plain', '%s tools/analysis/eva.py %s %s' % (
            python, spec[0].path, dbs[0].path),
            [spec, dbs[0], File('#tools/analysis/eva.py')] + _eva['deps'])


# --- Kernel configurations (docs/build.md) ---------------------------------------
# Each configuration is a set of constants the kernel tests with plain
# `if (CONFIG_X)` (style rule 4); build/gen/<config>/kernel_config.h defines
# them, and the kernel objects are compiled once per configuration used, into
# build/kernel/<config>/. Every flag is 0 in `release`, so the release kernel
# is the kernel without the mechanism: the compiler folds each test away.
KERNEL_CONFIGS = {
    # the default: nothing but the kernel
    'release': {},
    # assertions that cost, the raw debug console system call (L4_SYS_DEBUG_PUTC),
    # the kernel debugger; the event ring too (the debugger shows its last events)
    'debug': {'CONFIG_DEBUG': 1, 'CONFIG_TRACE': 1},
    # the kernel event ring, written to the console at shutdown (`scons trace`)
    'trace': {'CONFIG_TRACE': 1, 'CONFIG_TRACE_DUMP': 1},
    # user-level reads of the PMU instruction counters (PMUSERENR.EN)
    'bench': {'CONFIG_BENCH': 1},
    # bench, with PMU counters 1 and 2 counting kernel entries and
    # address-space switches (arch/kstats.h): images <name>-kstats
    'kstats': {'CONFIG_BENCH': 1, 'CONFIG_KSTATS': 1},
    # the event ring with user PMU reads, not dumped: what tracing costs
    # (the trace_event_cost benchmark, docs/observability.md)
    'trace-bench': {'CONFIG_TRACE': 1, 'CONFIG_BENCH': 1},
    # bench without the vCPU fast paths (core/vcpu_fast.c): every vCPU
    # operation on the slow path, the reference the twin suites compare
    # the fast kernel with (docs/vcpu.md, "Fast paths"); images <name>-vcpu-slow
    'vcpu-slow': {'CONFIG_BENCH': 1, 'CONFIG_VCPU_SLOW': 1},
    # bench with every generic fast path off (the IPC, send and yield
    # fastpaths, the exit's fast return and direct hand-over): the twin
    # that the suite system-slowpath-twin compares the bench kernel with
    'bench-slowpath': {'CONFIG_BENCH': 1, 'CONFIG_SLOWPATH': 1},
    # debug, whose machine_debug_check breaks one thing on purpose before it
    # checks (core/invariants_inject.c): the checker's reports tested on the
    # target (suite inv-inject); never in a system image
    'debug-inject': {'CONFIG_DEBUG': 1, 'CONFIG_TRACE': 1, 'CONFIG_INV_INJECT': 1},
}
CONFIG_FLAGS = ('CONFIG_DEBUG', 'CONFIG_TRACE', 'CONFIG_TRACE_DUMP', 'CONFIG_BENCH', 'CONFIG_KSTATS',
                'CONFIG_VCPU_SLOW', 'CONFIG_SLOWPATH', 'CONFIG_INV_INJECT')

_kernel = {}


def set_kernel(env, sources, linker_script, optional=None):
    """The kernel: its environment, its source files (relative to the calling
    SConscript) and linker script. Objects are made per configuration on first
    use (kernel_objects). `optional` maps a source file to the flags that
    need it: it is compiled only into configurations with one of them set
    (style rule 4: a different file chosen by SCons)."""
    def node(s):
        return s if isinstance(s, SCons.Node.Node) else File(s).srcnode()
    nodes = [node(s) for s in env.Flatten(sources)]  # generated sources are nodes already
    extra = [(node(s), tuple(flags)) for s, flags in sorted((optional or {}).items())]
    _kernel.update(env=env, sources=nodes, optional=extra, ld=linker_script, objects={}, envs={})


def config_flags(config):
    """flag -> 0/1 of kernel configuration `config`."""
    values = dict((f, 0) for f in CONFIG_FLAGS)
    values.update(KERNEL_CONFIGS[config])
    return values


def config_sources(config):
    """The kernel's sources in configuration `config`: every one, and the
    optional ones that configuration needs."""
    flags = config_flags(config)
    return _kernel['sources'] + [s for s, need in _kernel['optional'] if any(flags[f] for f in need)]


def _write_value(target, source, env):
    with open(target[0].abspath, 'w') as f:
        f.write(source[0].get_contents().decode())


def _config_header(config):
    values = config_flags(config)
    lines = ['/* Generated by site_scons/l4build.py: kernel configuration "%s". */' % config,
             '#pragma once']
    lines += ['#define %s %d' % (f, values[f]) for f in CONFIG_FLAGS]
    lines += ['#define CONFIG_NAME "%s"' % config]
    return lines


def kernel_env(config='release', stripped=False):
    """The kernel's build environment in configuration `config`: its
    generated header build/gen/<config>/kernel_config.h first on the path.
    stripped: with every trace hook removed from the source (trace.h,
    TRACE_HOOKS_STRIPPED), for the check that the hooks cost a configuration
    without the trace nothing (suite trace-release)."""
    if config not in KERNEL_CONFIGS:
        raise ValueError('unknown kernel configuration %r (known: %s)'
                         % (config, ', '.join(sorted(KERNEL_CONFIGS))))
    key = config + ('-stripped' if stripped else '')
    if key not in _kernel['envs']:
        env = _kernel['env'].Clone()
        if stripped:
            env.Append(CPPDEFINES=['TRACE_HOOKS_STRIPPED'])
        headers = _kernel.setdefault('headers', {})
        if config not in headers:
            headers[config] = env.Command('#build/gen/%s/kernel_config.h' % config,
                                          Value('\n'.join(_config_header(config)) + '\n'),
                                          Action(_write_value, '  GEN     $TARGET'))
        env.Prepend(CPPPATH=['#build/gen/%s' % config])
        env['KERNEL_CONFIG_HEADER'] = headers[config]
        _kernel['envs'][key] = env
    return _kernel['envs'][key]


def kernel_objects(config='release', stripped=False):
    """The kernel's objects in configuration `config` (build/kernel/<config>/,
    or <config>-stripped/: kernel_env)."""
    key = config + ('-stripped' if stripped else '')
    if key not in _kernel['objects']:
        env = kernel_env(config, stripped)
        kdir = Dir('#kernel').srcnode().abspath
        objs = []
        for src in config_sources(config):
            rel = os.path.relpath(src.abspath, kdir).rsplit('.', 1)[0]
            if rel.startswith('..'):  # shared with user level (libl4), or generated
                rel = 'shared/' + os.path.basename(rel)
            objs += env.Object('#build/kernel/%s/%s' % (key, rel), src)
        env.Depends(objs, env['KERNEL_CONFIG_HEADER'])
        _kernel['objects'][key] = objs
    return _kernel['objects'][key]


def kernel_image(name, root_elf, config='release', stripped=False, directory='images'):
    """build/<directory>/NAME.elf: the kernel in configuration `config` with
    `root_elf` embedded as its root task (stripped: kernel_objects)."""
    env = _kernel['env']
    blob = embed_blob(env, '#build/%s/%s.root.o' % (directory, name), root_elf, '.rootimage')
    img = env.Program('#build/%s/%s.elf' % (directory, name),
                      kernel_objects(config, stripped) + blob,
                      LINKFLAGS=env['LINKFLAGS'] + ['-T', _kernel['ld'].path,
                                                    '-Wl,-Map,${TARGET}.map'])
    env.Depends(img, _kernel['ld'])
    return img[0]


_user = {}  # float ('soft', 'hard') -> dict(env, lib, crt0, ld)


def set_user(env, lib, crt0, linker_script, float_abi='soft'):
    _user[float_abi] = dict(env=env, lib=lib, crt0=crt0, ld=linker_script)


def user_env(float_abi='soft', linker_script=None):
    """An environment for user programs linked against libl4 and newlib;
    float_abi 'hard' for HARD_FLOAT (libl4's and newlib's hard-float builds);
    libl4's linker script or `linker_script` (relative to the caller)."""
    u = _user[float_abi]
    env = u['env'].Clone()
    env['USER_LD'] = File(linker_script).srcnode() if linker_script else u['ld']
    env.Append(LINKFLAGS=['-T', env['USER_LD'].path])
    env.Prepend(LIBS=[u['lib'], 'c', 'gcc'])
    return env


def user_program(env, target, sources, libs=()):
    u = _user[env.get('FLOAT', 'soft')]
    objs = [o for s in sources for o in (env.Object(s) if str(s).endswith('.c') else [s])]
    prog = env.Program(target, u['crt0'] + objs, LIBS=list(libs) + [u['lib'], 'c', 'gcc'])
    env.Depends(prog, env.get('USER_LD', u['ld']))
    return prog[0]


# --- The kernel fuzzer (test/fuzz; docs/testing.md, "Fuzzing") -------------------
FUZZ_KINDS = {'typed': 0, 'guest': 1}
# Calls of each fuzzer in `scons test` (FUZZ_CALLS overrides both): the guest
# fuzzer's calls cost QEMU several times as much (every upcall switches spaces).
FUZZ_TEST_CALLS = {'typed': 100000, 'guest': 30000}


def _number(text, what):
    try:
        return int(text, 0)
    except ValueError:
        raise SCons.Errors.UserError('%s=%s: not a number' % (what, text))


def fuzz_image(env, name, objects, kind, seed, calls):
    """build/images/NAME.elf: the fuzzer's objects with its build parameters
    (first seed, calls in all, kind 'typed' or 'guest': test/fuzz/fuzz.h) in a
    generated source, over the debug kernel (its invariant checker)."""
    params = env.Textfile('#build/gen/fuzz/%s-params.c' % name, [
        '/* Generated by site_scons/l4build.py (fuzz_image): the build parameters. */',
        '#include <stdint.h>',
        'const uint32_t fz_param_seed = 0x%08xu;' % (seed & 0xffffffff),
        'const uint32_t fz_param_calls = %du;' % calls,
        'const uint32_t fz_param_kind = %d;' % FUZZ_KINDS[kind]])
    prog = user_program(env, '#build/test/fuzz/%s' % name, objects + env.Object(params))
    return kernel_image(name, prog, config='debug')


_fuzz_images = []  # the images of the fuzz-typed and fuzz-guest suites


def fuzz_images():
    """The images of `scons test`'s fuzz suites (scons docs runs them for
    docs/testing.md's fuzz figures: test/fuzz/figures.py)."""
    return list(_fuzz_images)


def fuzz_targets(env, objects, arguments):
    """The fuzz-typed and fuzz-guest suites of `scons test` (FUZZ_SEED, default
    1, and FUZZ_CALLS, calls of each, default FUZZ_TEST_CALLS), and `scons
    fuzz`: long campaigns (FUZZ_LONG_CALLS each, default 10^7 typed and 10^6
    guest) from a fresh seed unless FUZZ_SEED gives one, timed."""
    seed = _number(arguments.get('FUZZ_SEED', '1'), 'FUZZ_SEED')
    for kind in sorted(FUZZ_KINDS):
        calls = _number(arguments.get('FUZZ_CALLS', str(FUZZ_TEST_CALLS[kind])), 'FUZZ_CALLS')
        timeout = max(120, calls // 1000)
        img = fuzz_image(env, 'fuzz-' + kind, objects, kind, seed, calls)
        _fuzz_images.append(img)
        add_suite('fuzz-' + kind, 'plain',
                  'python3 tools/qemurun/qemurun.py --tests --icount --timeout %d %s'
                  % (timeout, img.path), img)
    # docs/testing.md's fuzz figures against a fresh run of both (scons docs writes them)
    add_suite('fuzz-docs', 'plain', 'python3 test/fuzz/figures.py check --run',
              list(_fuzz_images))
    if 'fuzz' not in COMMAND_LINE_TARGETS:
        return
    long_seed = arguments.get('FUZZ_SEED')
    long_seed = _number(long_seed, 'FUZZ_SEED') if long_seed else int.from_bytes(os.urandom(4),
                                                                                 'little')
    runs = []
    for kind, default in (('typed', 10 ** 7), ('guest', 10 ** 6)):
        n = _number(arguments.get('FUZZ_LONG_CALLS', str(default)), 'FUZZ_LONG_CALLS')
        img = fuzz_image(env, 'fuzz-%s-long' % kind, objects, kind, long_seed, n)
        runs.append((kind, img, n))
    AlwaysBuild(Alias('fuzz', [img for (k, img, n) in runs], Action(
        lambda target, source, env: _fuzz_run(runs, long_seed), None)))


def _fuzz_run(runs, seed):
    import subprocess
    import time
    status = 0
    for kind, img, calls in runs:
        print('scons fuzz: %s fuzzer, seed 0x%08x, %d calls (reproduce: scons fuzz FUZZ_SEED=0x%08x '
              'FUZZ_LONG_CALLS=%d)' % (kind, seed, calls, seed, calls))
        start = time.time()
        r = subprocess.call([sys.executable, 'tools/qemurun/qemurun.py', '--tests', '--icount',
                             '--timeout', str(max(600, calls // 500)), img.path])
        print('scons fuzz: %s fuzzer %s in %.0f s' % (kind, 'passed' if r == 0 else 'FAILED',
                                                      time.time() - start))
        status |= r
    return status


# --- Sensitive-instruction audit (docs/sensaudit.md) ---------------------------
def _audit_run(target, source, env):
    import re
    import subprocess
    finding = re.compile(r'^\S+: 0x[0-9a-f]+ <([^+>]+)')  # file: addr <function+off>
    image, tool = source[0].abspath, source[1].abspath
    out = subprocess.run([tool] + (['--silent'] if env['AUDIT_SILENT'] else []) + [image],
                         capture_output=True, text=True)
    with open(target[0].abspath, 'w') as f:
        f.write(out.stdout)
    if out.returncode == 2:
        sys.stderr.write('sensaudit: %s could not be audited:\n%s' % (image, out.stderr))
        return 2
    if not env['AUDIT_CLEAN']:
        return 0
    allow = set(env['AUDIT_ALLOW'])
    found = [(l, finding.match(l)) for l in out.stdout.splitlines()]
    bad = [l for (l, m) in found if m and m.group(1) not in allow]
    if out.returncode != 0 and not any(m for (l, m) in found):
        bad = ['(findings reported in a form this build cannot read)'] + out.stdout.splitlines()
    if bad:
        sys.stderr.write('sensaudit: %s must be free of sensitive instructions:\n%s\n'
                         % (image, '\n'.join(bad)))
        return 1
    return 0


_audits = []  # every audit target: `run`, `test` and `bench` depend on them all


def audits():
    return list(_audits)


def audit(env, image, must_be_clean, allow=(), silent=False, suffix=None):
    """Audit a guest image with build/tools/sensaudit.

    must_be_clean (paravirtual images): the build fails on any finding
    outside the functions named in `allow`, and on an image the tool cannot
    read; the report goes to <image>.audit. Otherwise (native images) the
    findings are the porting worklist, <image>.worklist, and only an
    unreadable image fails. silent (pre-virtualised images, whose trapping
    instructions the VMM emulates): only what does not trap counts
    (sensaudit --silent)."""
    image = File(image)
    base = os.path.splitext(image.get_abspath())[0]
    target = base + (suffix or ('.audit' if must_be_clean else '.worklist'))
    _audits.append(target)
    return env.Command(target, [image, '#build/tools/sensaudit'],
                       Action(_audit_run, '  AUDIT   $SOURCE'),
                       AUDIT_CLEAN=must_be_clean, AUDIT_ALLOW=list(allow), AUDIT_SILENT=silent)


def relocatable(env, target, objects):
    """One relocatable object (ld -r) of `objects`: what an audit of code
    that is not yet a whole image reads."""
    return env.Command(target, objects, Action('$LINK -nostdlib -r -o $TARGET $SOURCES',
                                               '  LD -r   $TARGET'))


# --- System images: servers, VMM guests (servers/, test/vmm/) -------------------

def system_env(float_abi='soft'):
    """user_env() that also sees the system protocol headers (servers/include)."""
    env = user_env(float_abi)
    env.Append(CPPPATH=['#servers/include'])
    return env


def guest_env(bare_env, linker_script):
    """A freestanding environment for small paravirtual guests written against
    docs/vmm.md: libl4's inline system calls and the guest contract headers."""
    env = bare_env.Clone()
    env.Append(CPPPATH=['#build/gen/include', '#libl4/include', '#servers/include'],
               LINKFLAGS=['-T', File(linker_script).srcnode().path])
    return env


def embed_elf(env, target, elf, symbol):
    """Embed an ELF (a guest image or a program, stripped) in a root task:
    `symbol`_start/_end bound it, in section .rodata.guest.`symbol` (4 KiB
    aligned)."""
    return env.Command(target, elf, Action(
        "$OBJCOPY --strip-all ${SOURCE} ${TARGET}.stripped && "
        "printf '.section .rodata.guest.%s,\"a\"\\n.balign 4096\\n.global %s_start\\n"
        ".global %s_end\\n%s_start:\\n.incbin \"%s\"\\n%s_end:\\n' > ${TARGET}.S && "
        "$CC $ASFLAGS -c -o $TARGET ${TARGET}.S"
        % (symbol, symbol, symbol, symbol, '${TARGET}.stripped', symbol),
        '  EMBED   $TARGET'))


def system_image(name, env, sources, config='release', variants=()):
    """build/images/NAME.elf: the kernel (in configuration `config`) with a
    system root task built from `sources` (objects or C files) as its root
    task; and NAME-V.elf, the same root task on the kernel in configuration
    V, for each of `variants`. Returns the image and the root task's ELF."""
    prog = user_program(env, '#build/servers/root/%s-root' % name, sources,
                        [_syslibs['soft']['sys']])
    for v in variants:
        kernel_image('%s-%s' % (name, v), prog, v)
    return kernel_image(name, prog, config), prog


def source_exists(path):
    """True if the source tree has `path` (e.g. a port another team is still
    writing): lets an SConscript register images only once their guest exists."""
    return os.path.exists(os.path.join(Dir('#').abspath, path))


# --- Programs: system servers and components (servers/<name>/) -----------------
# Each program is linked at its own 4 MiB slot from PROGRAM_BASE (in the
# order the SConscripts register them), so a debugger can load every
# program's symbols at once without overlaps; COMP_IMAGE_* in
# servers/include/system/comp.h is the same layout.
PROGRAM_BASE = 0x20000000
PROGRAM_SLOT = 0x00400000
PROGRAM_MAX = 64
_programs = {}   # name -> {'elf': node, 'kind': 'component' | 'server', 'base': int}
_syslibs = {}    # float ('soft', 'hard') -> dict(sys, comp, server_rt)


def set_system_libs(libsys, libcomp, server_rt, float_abi='soft'):
    _syslibs[float_abi] = dict(sys=libsys, comp=libcomp, server_rt=server_rt)


def _program(name, sources, kind, env, float_abi='soft'):
    import SCons.Errors
    if name in _programs:
        raise SCons.Errors.UserError('program %r registered twice' % name)
    if len(_programs) == PROGRAM_MAX:
        raise SCons.Errors.UserError('more than %d programs' % PROGRAM_MAX)
    base = PROGRAM_BASE + len(_programs) * PROGRAM_SLOT
    env = (env or system_env(float_abi)).Clone()
    libsys = _syslibs[env.get('FLOAT', 'soft')]
    env.Append(LINKFLAGS=['-Wl,--defsym=__l4_image_base=0x%x' % base,
                          '-Wl,--defsym=__l4_image_limit=0x%x' % (base + PROGRAM_SLOT)])
    objs = [o for s in sources for o in (env.Object(s) if str(s).endswith('.c') else [s])]
    u = _user[env.get('FLOAT', 'soft')]
    libs = [u['lib'], 'c', 'gcc']
    if kind == 'component':
        libs = [libsys['comp'], libsys['sys']] + libs
    else:
        libs = [libsys['sys']] + libs
        objs += libsys['server_rt']
    prog = env.Program(name, u['crt0'] + objs, LIBS=libs)
    env.Depends(prog, u['ld'])
    _programs[name] = {'elf': prog[0], 'kind': kind, 'base': base}
    return prog[0]


def component(name, sources, env=None, float_abi='soft'):
    """A component program NAME (servers/NAME/SConscript; docs/components.md):
    `sources` with the component runtime (component.h: the runtime has
    main() and calls the program's init/notified/protected). A system
    description runs it with `program = NAME`. float_abi 'hard': built
    HARD_FLOAT, with the hard-float runtime (a component that computes in
    floating point; docs/build.md, "Floating point")."""
    return _program(name, sources, 'component', env, float_abi)


def server_program(name, sources, env=None):
    """A system server program (console, vtimer, vmm): its own main(), the
    CSpace of system/proto.h; the root task starts it for every system."""
    return _program(name, sources, 'server', env)


def programs():
    return dict(_programs)


# --- System descriptions (systems/*.sys, tools/sysgen; docs/system.md) ---------
_guest_images = {}  # image name -> guest ELF node
_systems = {}       # system name -> {'image': node or None, 'error': str or None, ...}


def guest_image(name, elf):
    """Register a guest ELF under `name`, for `image = name` in a system
    description. Register every image before the systems are read."""
    _guest_images[name] = File(elf)


def tool_modules(directory):
    """Every Python module of a tool's directory (e.g. '#tools/sysgen'): what
    a target made by its script depends on, whichever of them it imports."""
    top = Dir(directory).srcnode().abspath
    return [File('%s/%s' % (directory, f)) for f in sorted(os.listdir(top)) if f.endswith('.py')]


def _sysgen():
    tooldir = Dir('#tools/sysgen').srcnode().abspath
    if tooldir not in sys.path:
        sys.path.insert(0, tooldir)
    import sysgen
    return sysgen


def _broken_system(name, env, desc, message):
    """A description sysgen refuses: its image is a target that fails with
    sysgen's messages, and nothing else of the build depends on it."""
    def fail(target, source, env):
        sys.stderr.write('sysgen: invalid system description:\n%s\n' % message)
        return 1
    sys.stderr.write('scons: systems/%s.sys is invalid; build/images/%s.elf will fail '
                     '(sysgen: %s)\n' % (name, name, message.splitlines()[0]))
    img = env.Command('#build/images/%s.elf' % name, desc, Action(fail, '  SYSGEN  $SOURCE'))
    _systems[name] = {'image': img[0], 'error': message}
    return img[0]


def _gdb_symbols(name, root_elf, system, programs, image_name=None):
    """The gdb commands that load the symbols of system NAME (the image
    IMAGE_NAME, a configuration variant of it): the kernel, its root task,
    every program it runs and every guest image, each at its link address
    (programs have distinct ones), then the kernel-aware commands
    (tools/gdb/l4gdb.py, docs/observability.md), which also choose among
    guest images linked at the same address."""
    image_name = image_name or name
    lines = ['# Generated by site_scons/l4build.py for systems/%s.sys: do not edit.' % name,
             'set architecture arm', 'set pagination off', 'set confirm off',
             '# bt goes on past main() to the outermost frame, _start (crt0 marks it);',
             '# a limit guards the rest.',
             'set backtrace past-main on', 'set backtrace limit 64',
             'file build/images/%s.elf' % image_name,
             'add-symbol-file %s' % root_elf.path]
    lines += ['add-symbol-file %s' % _programs[p]['elf'].path for p in programs]
    # Guests are linked at their RAM base, 0x40000000, each in its own
    # address space: l4gdb loads one image's symbols at a time (the guest
    # of the thread that runs when gdb stops; `l4 guest NAME` by hand).
    lines += ['python import sys; sys.path.insert(0, "tools/gdb")',
              'python import l4gdb',
              'l4 guests %s' % ' '.join('%s=%s' % (g['name'], _guest_images[g['image']].path)
                                        for g in system['guests'])]
    return lines


def system_from_description(name, env, root_objects, config='release', variants=()):
    """build/images/NAME.elf from systems/NAME.sys: tools/sysgen/sysgen.py
    validates the description and generates build/gen/systems/NAME.c (the root
    task's sys_config table); the root task is `root_objects` + the table +
    the programs (system servers and components) and guest images it runs,
    embedded, the kernel in configuration `config`. An invalid description
    fails this image's target only, with
    sysgen's messages (FILE:LINE: ...); checks that need the programs' ELFs
    (their entry and variable symbols) run when the table is generated.
    Also writes build/images/NAME.gdb, the symbols for `scons debug`, and
    NAME-V.elf for each kernel configuration V in `variants` (system_image)."""
    sysgen = _sysgen()
    desc = File('#systems/%s.sys' % name).srcnode()
    tool = File('#tools/sysgen/sysgen.py').srcnode()
    plat = File('#' + sysgen.PLATFORM_DEVICES).srcnode()
    try:
        system = sysgen.load(desc.abspath, images=set(_guest_images), programs=programs_kinds(),
                             platform=plat.abspath)
    except sysgen.SysError as e:
        return _broken_system(name, env, desc, str(e))
    images = sorted({g['image'] for g in system['guests']})
    progs = sysgen.system_programs(system)
    args = ' '.join(['--image %s=%s' % (n, _guest_images[n].path) for n in sorted(_guest_images)] +
                    ['--program %s=%s:%s' % (n, _programs[n]['kind'], _programs[n]['elf'].path)
                     for n in sorted(_programs)])
    table = env.Command(
        '#build/gen/systems/%s.c' % name, [desc, tool, plat] + [_programs[p]['elf'] for p in progs],
        Action('$PYTHON ${SOURCES[1]} ${SOURCES[0]} %s --platform ${SOURCES[2]} '
               '--source-name systems/%s.sys -o $TARGET' % (args, name), '  SYSGEN  $TARGET'))
    env.Depends(table, tool_modules('#tools/sysgen'))  # sysparse, sysgen_c, elfsym, ...
    tenv = env.Clone()
    tenv.Append(CPPPATH=['#servers/root'])
    objs = list(root_objects) + tenv.Object('#build/gen/systems/%s.o' % name, table)
    for img in images:
        objs += embed_elf(env, '#build/gen/systems/%s/%s.o' % (name, img), _guest_images[img],
                          sysgen.image_symbol(img))
    for p in progs:
        objs += embed_elf(env, '#build/gen/systems/%s/prog-%s.o' % (name, p), _programs[p]['elf'],
                          sysgen.program_symbol(p))
    img, root = system_image(name, env, objs, config, variants)
    gdb = env.Textfile('#build/images/%s.gdb' % name, _gdb_symbols(name, root, system, progs))
    _systems[name] = {'image': img, 'error': None, 'gdb': gdb[0], 'root': root,
                      'system': system, 'programs': progs, 'variants': {}}
    return img


def system_variant(name, config):
    """build/images/NAME-CONFIG.elf: system NAME with the kernel in
    configuration `config` (the same root task, programs and guests: only
    the kernel differs), and its symbols file NAME-CONFIG.gdb. None for a
    system whose description is invalid."""
    s = _systems[name]
    if s.get('error'):
        return None
    if config not in s['variants']:
        vname = '%s-%s' % (name, config)
        img = kernel_image(vname, s['root'], config)
        gdb = _kernel['env'].Textfile('#build/images/%s.gdb' % vname, _gdb_symbols(
            name, s['root'], s['system'], s['programs'], vname))
        s['variants'][config] = {'image': img, 'gdb': gdb[0]}
    return s['variants'][config]


def programs_kinds():
    return {n: p['kind'] for n, p in _programs.items()}


def systems():
    """name -> {'image', 'error', 'gdb'} of every system read so far."""
    return dict(_systems)


def write_registry(env, target):
    """build/gen/registry.json: what the build registered (guest images,
    programs and their kinds, systems), for tools that must agree with the
    build, e.g. the sysgen tests (no hard-coded lists)."""
    import json
    data = {'images': sorted(_guest_images), 'programs': programs_kinds(),
            'systems': sorted(_systems)}
    return env.Textfile(target, [json.dumps(data, indent=1, sort_keys=True)])


# --- Pre-virtualisation: the rewriting assembler (docs/previrt.md) ----------------
_previrt = {}
PREVIRT_RUNTIME = ['#libl4/src/previrt/enter.S', '#libl4/src/previrt/emulate.c',
                   '#libl4/src/previrt/model.c', '#libl4/src/previrt/sysreg.c',
                   '#libl4/src/previrt/dev.S', '#libl4/src/previrt/mmio.c',
                   '#libl4/src/previrt/memop.c']


def set_previrt(tool, contract):
    """tool: the rewriter's files; every Python module of its directory is
    one too (what previrt.py imports, listed or not)."""
    tool = list(tool)
    _previrt.update(tool=tool + [m for m in tool_modules('#tools/previrt') if m not in tool],
                    contract=contract)


def previrt_env(env):
    """A clone of `env` whose assembler step is tools/previrt (gcc -B), for C
    and .S alike; each object's report goes to <object>.previrt."""
    e = env.Clone()
    flags = ['-B' + Dir('#tools/previrt/bin').srcnode().path + '/',
             '-Wa,--previrt-log=${TARGET}.previrt']
    e.Append(CCFLAGS=flags, ASFLAGS=flags)
    return e


def previrt_objects(env, subdir, sources):
    """objects_in() through the rewriter: rebuilt when the rewriter changes."""
    objs = objects_in(env, subdir, sources)
    env.Depends(objs, _previrt['tool'])
    return objs


# The runtime's glue to this kernel and VMM (a guest under servers/vmm).
PREVIRT_L4_GLUE = ['#libl4/src/previrt/start.S', '#libl4/src/previrt/upcall.c',
                   '#libl4/src/previrt/glue.c', '#libl4/src/previrt/vtimer.c',
                   '#libl4/src/previrt/hw.c', '#libl4/src/previrt/vgic.c',
                   '#libl4/src/previrt/gicdev.c', '#libl4/src/previrt/gicshort.S',
                   '#libl4/src/previrt/irqentry.S',
                   '#libl4/src/invoke.c']
# The functions of the runtime that may hold sensitive instructions (an
# audit of a pre-virtualised image allows exactly these): the entry's
# `mrs apsr`, and the PL0-legal counter, PMU and TPIDRURW reads of hw.c;
# previrt_istubs is the rewriter's section of inline stubs (tools/previrt/
# contract.py), whose `mrs Rd, apsr` reads the flags; it has no FUNC symbol.
PREVIRT_ALLOWED = ['__previrt_enter', 'previrt_hw_counter', 'previrt_hw_frequency',
                   'previrt_hw_pmu', 'previrt_hw_cycles', 'previrt_hw_scratch', 'previrt_istubs']


def previrt_runtime(env, subdir, glue):
    """The guest runtime (libl4/src/previrt) and `glue` (its environment's
    half: cpu.h), compiled in `env` (never through the rewriter)."""
    e = env.Clone()
    e.Append(CPPPATH=['#libl4/src/previrt', '#build/gen/include', '#libl4/include',
                      '#servers/include'])
    objs = objects_in(e, subdir, PREVIRT_RUNTIME + list(glue))
    e.Depends(objs, _previrt['contract'])
    return objs


def previrt_guest_runtime(env, subdir):
    """The runtime with its glue to this kernel and VMM, for previrt_program."""
    return previrt_runtime(env, subdir, PREVIRT_L4_GLUE)


def previrt_program(env, target, objects, runtime, allow=()):
    """A pre-virtualised guest image: rewritten `objects` (previrt_objects)
    and `runtime` (previrt_guest_runtime), entered at __previrt_start (which
    then starts the image's own entry, `_start`), audited: no silent
    sensitive instruction outside PREVIRT_ALLOWED and the functions of
    `allow` (user-mode code the image runs in virtual user mode, where an
    instruction that is silent at PL0 does what it does for any program)."""
    prog = env.Program(target, list(objects) + list(runtime),
                       LINKFLAGS=env['LINKFLAGS'] + ['-Wl,--entry=__previrt_start'])
    audit(env, prog[0], must_be_clean=True, allow=PREVIRT_ALLOWED + list(allow), silent=True)
    return prog


# --- Variant builds (one source tree built several ways, e.g. RTOS ports) ----------
def env_with(base, include_first, linker_script=None):
    """A clone of `base` whose include path starts with `include_first`,
    linked with `linker_script` (a path relative to the calling SConscript)."""
    env = base.Clone()
    env.Prepend(CPPPATH=list(include_first))
    if linker_script:
        env.Append(LINKFLAGS=['-T', File(linker_script).srcnode().path])
    return env


def objects_in(env, subdir, sources):
    """Objects for `sources` under build subdirectory `subdir`, so the same
    sources can be compiled for several variants side by side."""
    objs = []
    for s in sources:
        if isinstance(s, str):
            objs.append(env.Object('%s/%s' % (subdir, s.lstrip('#').rsplit('.', 1)[0]), s))
        else:  # generated source nodes: named after their file
            for n in env.Flatten([s]):
                objs.append(env.Object('%s/%s' % (subdir, n.name.rsplit('.', 1)[0]), n))
    return objs


# --- Benchmarks: results, report, figures in docs/, comparison --------------
# (tools/benchreport, docs/benchmarks.md)
BENCHREPORT = 'tools/benchreport/benchreport.py'


def python_suite(name, script, deps):
    """A suite that is a Python script printing `N passed, N failed`, run by
    the Python that runs SCons (the one Debian's python3-* packages serve)."""
    add_suite(name, 'plain', '%s %s' % (sys.executable, script), deps)


def _benchreport_sources():
    top = Dir('#tools/benchreport').srcnode().abspath
    return [File('#tools/benchreport/' + f) for f in sorted(os.listdir(top))
            if f.endswith(('.py', '.json'))]


def _bench_images():
    return [File(img) for (name, img, mode) in _benches]


def _bench_modes():
    return [mode for (name, img, mode) in _benches]


def _bench_run(target, source, env):
    """Run every benchmark image (qemurun.py --bench); its table is printed
    by `scons bench` itself, so only a failed run's output is shown."""
    import subprocess
    images = [s.abspath + ('@' + m if m else '') for s, m in zip(source[1:], _bench_modes())]
    p = subprocess.run([sys.executable, source[0].abspath, '--bench', target[0].abspath]
                       + images, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stdout.write(p.stdout + p.stderr)
    return p.returncode


def bench_results(env, target, audits):
    """`target` (build/bench/results.json) from every image registered with
    add_bench(). The runs are deterministic, so they are repeated only when
    an image or the runner changed."""
    res = env.Command(target, [File('#tools/qemurun/qemurun.py')] + _bench_images(),
                      Action(_bench_run, '  BENCH   $TARGET'))
    env.Depends(res, audits)
    env.Ignore(res[0].dir, res)   # not part of the default build: `scons bench` runs them
    return res


def bench_targets(env, results, arguments):
    """`scons bench` (results, report.html, results.csv, charts; prints the
    records), `scons bench-compare BASE=<rev>`, and the `bench-docs` suite
    (a fresh benchmark run must give the figures committed in docs/)."""
    tool = File('#' + BENCHREPORT)
    outdir = os.path.dirname(results[0].path)
    report = env.Command(['%s/report.html' % outdir, '%s/results.csv' % outdir],
                         [results] + _benchreport_sources(),
                         Action('$PYTHON %s report $SOURCE %s' % (tool.path, outdir),
                                '  REPORT  $TARGET'))
    env.Ignore(report[0].dir, report)
    AlwaysBuild(env.Alias('bench', [results, report],
                          Action('$PYTHON %s table $SOURCE' % tool.path, None)))
    add_suite('bench-docs', 'plain', '%s %s check-docs --bench build/test/bench-docs docs %s'
              % (sys.executable, tool.path, ' '.join(
                  i.path + ('@' + m if m else '') for i, m in zip(_bench_images(), _bench_modes()))),
              _bench_images() + _benchreport_sources())

    base = arguments.get('BASE')
    if 'bench-compare' in COMMAND_LINE_TARGETS and not base:
        sys.stderr.write('scons bench-compare needs BASE=<git rev> '
                         '(docs/benchmarks.md, "Comparing with another revision")\n')
        Exit(2)
    fail = arguments.get('FAIL_ON_REGRESSION', '0').lower() in ('1', 'yes', 'true')
    AlwaysBuild(env.Alias('bench-compare', [results] + _benchreport_sources(), Action(
        '$PYTHON %s compare-rev %s $SOURCE --jobs %d%s' % (
            tool.path, shlex.quote(base or ''), max(2, os.cpu_count() or 2),
            ' --fail-on-regression' if fail else ''), None)))


def docs_figures_action(results):
    """`scons docs`: fill the figure markers in docs/*.md and write
    docs/figures/*.svg from `results` (docs/benchmarks.md, "Quoting a figure")."""
    return Action('$PYTHON %s docs %s docs' % (BENCHREPORT, results[0].path),
                  '  DOCS    figures from %s' % results[0].path)


def run_tests(target, source, env):
    """`scons test`: run tools/testrun/testrun.py on build/tests.json once
    SCons has finished building and has written build/.sconsign (an atexit
    handler: SCons writes what it built only after its last action), so the
    runner's `N passed, N failed` is the last line and the exit status is
    the runner's. The suites never run inside the build: a failing suite
    that ended SCons from an action (os._exit, to keep SCons's error line
    off the end) lost the record of everything that run had built, so the
    next build after a source was changed back kept the changed objects and
    images (docs/build.md, "Stale objects")."""
    if not _test_run:
        _test_run.append(ARGUMENTS.get('SUITES'))
        atexit.register(_run_tests_after_build)
    return 0


_test_run = []  # SUITES of the `scons test` of this run, once its action has run


def _run_tests_after_build():
    import subprocess
    sys.stdout.flush()
    sys.stderr.flush()
    only = {'SUITES': _test_run[0]} if _test_run[0] is not None else {}
    try:
        status = subprocess.call([sys.executable, 'tools/testrun/testrun.py', 'build/tests.json'],
                                 cwd=Dir('#').abspath, env=dict(os.environ, **only))
    except KeyboardInterrupt:
        status = 130
    sys.stdout.flush()
    sys.stderr.flush()
    if status != 0:
        os._exit(status)  # the build is recorded: nothing of SCons is left to do
