# SPDX-License-Identifier: BSD-2-Clause
"""SVG charts of benchmark records (python3-matplotlib).

The same records give byte-identical SVGs: matplotlib's id salt is fixed,
the date and creator metadata are left out, and text stays text (no glyph
outlines from the installed FreeType). charts(records, reference) returns
{file name: SVG bytes} for every chart the records have data for."""
import io

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

import records as rec

RC = {
    'svg.hashsalt': 'benchreport',   # ids of clip paths etc. from this, not random
    'svg.fonttype': 'none',          # <text>, not outlines
    'font.family': 'DejaVu Sans',
    'font.size': 9,
    'axes.grid': False,
}
METADATA = {'Date': None, 'Creator': 'tools/benchreport'}
# Colour-blind-safe (Okabe-Ito): this kernel / native, virtual, pre-virtualised, reference.
BLUE, ORANGE, GREEN, PURPLE, GREY = '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#999999'
SKY = '#56B4E9'  # pre-virtualised with a hand step
MODE_COLOURS = {'native': BLUE, 'virtual': ORANGE, 'previrt': GREEN, 'previrt_gic': SKY}
# Log scale once the largest bar is this many times the smallest: linear
# bars would flatten the small ones to nothing.
LOG_RANGE = 20
LEGEND_PAD = 22  # points


def _svg(fig):
    out = io.BytesIO()
    FigureCanvasSVG(fig)
    fig.savefig(out, format='svg', metadata=METADATA)
    return out.getvalue()


def _label(v):
    return rec.fmt_value(v)


def _scale(ax, values, axis_label):
    positive = [v for v in values if v > 0]
    log = bool(positive) and max(positive) / min(positive) > LOG_RANGE
    if log:
        ax.set_xscale('log')
        ax.set_xlim(min(positive) / 1.5, max(positive) * 4)
        axis_label += ', log scale'
    else:
        ax.set_xlim(0, max(values + [1]) * 1.18)
    ax.set_xlabel(axis_label)
    return log


def _bars(ax, y, values, height, colour, label, hatch=None):
    """Horizontal bars with their values written after them."""
    bars = ax.barh(y, values, height=height, color=colour, label=label, hatch=hatch,
                   edgecolor='white' if hatch else None, linewidth=0)
    for b, v in zip(bars, values):
        ax.annotate(_label(v), (b.get_width(), b.get_y() + b.get_height() / 2),
                    xytext=(3, 0), textcoords='offset points', va='center', fontsize=7)


def _legend(ax, columns):
    """Between the title and the plot, where it hides no bar (the title is
    set with pad=LEGEND_PAD to make room)."""
    ax.legend(loc='lower left', bbox_to_anchor=(0, 1.0), ncol=columns, fontsize=8,
              frameon=False, borderaxespad=0.2)


def rtos_chart(records):
    """Per RTOS workload: instructions per operation natively, as a guest and
    pre-virtualised (where measured), and each mode's ratio to native."""
    work = rec.rtos_workloads(records)
    if not work:
        return None
    names = rec.by_name(records)
    modes = [m for m in rec.RTOS_MODES if any(m in g for _, g in work)]
    other = [m for m in modes if m != 'native']
    n = len(work)
    fig = Figure(figsize=(10, 1.3 + 0.22 * n * len(modes)))
    left, right = fig.subplots(1, 2, sharey=True, gridspec_kw={'width_ratios': [3, 2]})
    h = 0.8 / len(modes)
    ys = list(range(n))
    values = []
    for k, m in enumerate(modes):
        pts = [(y + (k - (len(modes) - 1) / 2) * h, g[m]['value'])
               for y, (_, g) in zip(ys, work) if m in g]
        values += [v for _, v in pts]
        _bars(left, [p for p, _ in pts], [v for _, v in pts], h, MODE_COLOURS[m], rec.MODE_LABELS[m])
    _scale(left, values, 'instructions per operation (all levels)')
    left.set_yticks(ys, [t for t, _ in work])
    left.invert_yaxis()
    left.set_title('RTOS workloads: instructions per operation', pad=LEGEND_PAD)
    _legend(left, len(modes))
    rh = 0.8 / max(1, len(other))
    ratios = []
    for k, m in enumerate(other):
        pts = [(y + (k - (len(other) - 1) / 2) * rh, rec.rtos_ratio(names, t, m))
               for y, (t, _) in zip(ys, work)]
        pts = [(y, r) for y, r in pts if r is not None]
        ratios += [r for _, r in pts]
        _bars(right, [p for p, _ in pts], [r for _, r in pts], rh, MODE_COLOURS[m],
              '%s/native' % rec.MODE_LABELS[m])
    right.axvline(1.0, color=GREY, linewidth=0.8, linestyle='--')
    _scale(right, ratios, 'ratio to native (1 = native speed)')
    right.set_title('cost of virtualisation', pad=LEGEND_PAD)
    if other:
        _legend(right, len(other))
    for ax in (left, right):
        ax.spines[['top', 'right']].set_visible(False)
    fig.tight_layout()
    return _svg(fig)


def kernel_chart(records, reference):
    """Every kernel path (unit kernel_instructions) and, where the reference
    kernel was measured the same way, its figure beside ours."""
    paths = [r for r in records if r['unit'] == 'kernel_instructions']
    if not paths:
        return None
    refs = {f['record']: f for f, r in rec.reference_rows(records, reference) if r}
    slots = []   # (y, value, colour, label, hatch)
    y, ticks = 0.0, []
    for r in paths:
        f = refs.get(r['name'])
        group = [(r['value'], BLUE, 'this kernel', None)]
        if f:
            # Solid: the figure to compare with (reference.json's `value`);
            # hatched: the same path in another configuration.
            group.append((f['value'], PURPLE, reference['kernel'], None))
            group += [(o['value'], PURPLE, '%s, %s' % (reference['kernel'], o['condition']), '///')
                      for o in f.get('others', [])]
        h = 0.8 / len(group)
        for k, (v, c, lab, hatch) in enumerate(group):
            slots.append((y + (k - (len(group) - 1) / 2) * h, v, c, lab, hatch, h))
        ticks.append((y, r['name']))
        y += 1
    fig = Figure(figsize=(8, 1.2 + 0.2 * len(slots) + 0.1 * len(paths)))
    ax = fig.subplots()
    seen = set()
    for (yy, v, c, lab, hatch, h) in slots:
        _bars(ax, [yy], [v], h, c, None if lab in seen else lab, hatch)
        seen.add(lab)
    _scale(ax, [s[1] for s in slots], 'kernel instructions per operation (vector to exception return)')
    ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks], fontfamily='DejaVu Sans Mono')
    ax.invert_yaxis()
    ax.set_title('Kernel paths: this kernel and %s, measured the same way' % reference['kernel'],
                 pad=LEGEND_PAD)
    _legend(ax, len(seen))
    ax.spines[['top', 'right']].set_visible(False)
    fig.tight_layout()
    return _svg(fig)


CHARTS = ('rtos.svg', 'kernel.svg')


def charts(records, reference):
    with matplotlib.rc_context(RC):
        made = {'rtos.svg': rtos_chart(records), 'kernel.svg': kernel_chart(records, reference)}
    return {k: v for k, v in made.items() if v is not None}
