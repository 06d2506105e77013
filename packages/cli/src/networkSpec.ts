/**
 * Network descriptions for `hgm ntk` / `hgm regress` (issue 14): a line of layers separated by spaces,
 *
 *   conv(16,3x3,SAME) relu conv(16,3x3,SAME) relu globalAvgPool dense
 *
 * Layers: `conv(C,FxF[,VALID|SAME|CIRCULAR][,stride=S|SxS][,wStd=w][,bStd=b])` (1-D: `conv(C,F)`),
 * `dense[(width)]` (with `wStd=`, `bStd=` as for conv), `avgPool(WxW[,stride=S][,SAME|…])`, `globalAvgPool`,
 * `flatten`, `layerNorm[(all)]`, `identity`, a residual block `[ … ]` (x + the layers inside, fanOut/fanInSum), and
 * anything else is an activation (a built-in name or a formula in u without spaces, e.g. `heaviside(u)*cos(u)`),
 * handed to the caller's factory (its dual method). Defaults for σw, σb and the parameterization apply to every conv
 * and dense that does not set its own. Images are given as rows with `--shape H,W,C` ({@link parseShape}).
 */
import {
  type DualProvider,
  KernelSpecError,
  type Layer,
  type Network,
  type Padding,
  type Parameterization,
  activation,
  avgPool,
  conv,
  dense,
  fanInSum,
  fanOut,
  flatten,
  globalAvgPool,
  identity,
  layerNorm,
  type Matrix,
  parallel,
  parseDualMethod,
  dualProvider,
  serial,
} from '@holonomic-ntk/ntk';
import { activationResolver } from './activationResolver.ts';
import { readNumericCsv } from './csv.ts';
import { UsageError } from './io.ts';
import { checkMemory } from './limits.ts';
import { printKernelMatrix } from './kernelOutput.ts';
import { planOutput } from './output.ts';

/** Defaults of {@link parseNetworkSpec} for every conv and dense layer that does not set its own. */
export interface NetworkSpecDefaults {
  wStd?: number;
  bStd?: number;
  parameterization?: Parameterization;
}

/** Splits at top-level spaces (not inside parentheses or brackets). */
function tokens(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (depth < 0) throw new KernelSpecError(`unbalanced '${ch}' in the network "${text}"`);
    if (/\s/.test(ch) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new KernelSpecError(`unbalanced brackets in the network "${text}"`);
  if (cur) out.push(cur);
  return out;
}

function dims(t: string, what: string): number[] {
  const v = t.split('x').map(Number);
  if (!v.every((x) => Number.isInteger(x) && x > 0)) throw new KernelSpecError(`${what}: expected sizes like 3 or 3x3, got "${t}"`);
  return v;
}

/**
 * A network from its text description; `makeActivation(name)` gives the dual provider of an activation token.
 *
 * For example `parseNetworkSpec('conv(4,3x3,SAME) relu [conv(4,3x3,SAME) relu] globalAvgPool dense', (a) =>
 * dualProvider(a, 'closed'))` has 5 layers; `conv(4,3x3,FULL)` throws a KernelSpecError.
 */
export function parseNetworkSpec(text: string, makeActivation: (name: string) => DualProvider, defaults: NetworkSpecDefaults = {}): Network {
  const layers = parseLayers(text, makeActivation, defaults);
  if (layers.length === 0) throw new KernelSpecError('the network has no layers');
  return serial(...layers);
}

function parseLayers(text: string, makeActivation: (name: string) => DualProvider, defaults: NetworkSpecDefaults): Layer[] {
  return tokens(text.trim()).map((tok) => {
    if (tok.startsWith('[')) {
      if (!tok.endsWith(']')) throw new KernelSpecError(`a residual block is [ layers ], got "${tok}"`);
      const inner = parseLayers(tok.slice(1, -1), makeActivation, defaults);
      return serial(fanOut(2), parallel(identity(), serial(...inner)), fanInSum());
    }
    const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(tok);
    const name = m?.[1];
    const args = m?.[2] === undefined ? [] : m[2].split(',').map((s) => s.trim());
    const kw = (key: string): number | undefined => {
      const a = args.find((s) => s.startsWith(`${key}=`));
      if (a === undefined) return undefined;
      const v = Number(a.slice(key.length + 1));
      if (!Number.isFinite(v)) throw new KernelSpecError(`${tok}: ${key} must be a number`);
      return v;
    };
    const positional = args.filter((s) => !s.includes('='));
    const padding = (): Padding | undefined => {
      const p = positional.find((s) => /^[A-Za-z]+$/.test(s));
      if (p === undefined) return undefined;
      const up = p.toUpperCase();
      if (up !== 'VALID' && up !== 'SAME' && up !== 'CIRCULAR') throw new KernelSpecError(`${tok}: padding must be VALID, SAME or CIRCULAR, got ${p}`);
      return up;
    };
    const weights = () => {
      const wStd = kw('wStd') ?? defaults.wStd;
      const bStd = kw('bStd') ?? defaults.bStd;
      return {
        ...(wStd !== undefined ? { wStd } : {}),
        ...(bStd !== undefined ? { bStd } : {}),
        ...(defaults.parameterization ? { parameterization: defaults.parameterization } : {}),
      };
    };
    const strideArg = args.find((s) => s.startsWith('stride='));
    const strides = strideArg === undefined ? undefined : dims(strideArg.slice('stride='.length), tok);
    switch (m ? name : undefined) {
      case 'conv': {
        const [c, f] = positional;
        const channels = Number(c);
        if (!(Number.isInteger(channels) && channels > 0) || f === undefined)
          throw new KernelSpecError(`conv needs channels and a filter, e.g. conv(16,3x3,SAME); got ${tok}`);
        const filter = dims(f, tok);
        const pad = padding();
        return conv(channels, filter, {
          ...weights(),
          ...(pad ? { padding: pad } : {}),
          ...(strides ? { strides: strides.length === 1 ? strides[0]! : strides } : {}),
        });
      }
      case 'dense': {
        const w = positional[0] === undefined ? undefined : Number(positional[0]);
        if (w !== undefined && !(Number.isInteger(w) && w > 0)) throw new KernelSpecError(`dense(width): width must be a positive integer, got ${tok}`);
        return dense({ ...weights(), ...(w !== undefined ? { width: w } : {}) });
      }
      case 'avgPool': {
        const win = positional[0];
        if (win === undefined) throw new KernelSpecError(`avgPool needs a window, e.g. avgPool(2x2,stride=2); got ${tok}`);
        const pad = padding();
        return avgPool(dims(win, tok), { ...(pad ? { padding: pad } : {}), ...(strides ? { strides: strides.length === 1 ? strides[0]! : strides } : {}) });
      }
      case 'globalAvgPool':
        return globalAvgPool();
      case 'flatten':
        return flatten();
      case 'identity':
        return identity();
      case 'layerNorm':
        return layerNorm(positional[0] === 'all' ? { axis: 'all' } : {});
      default:
        return activation(makeActivation(tok));
    }
  });
}

/** `--shape H,W,C` (or `L,C`, or `d`): positive integers, e.g. `parseShape('8,8,1')` gives [8, 8, 1]. */
export function parseShape(text: string): number[] {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length === 0 || !v.every((x) => Number.isInteger(x) && x > 0)) throw new KernelSpecError(`--shape takes positive integers like 8,8,1; got "${text}"`);
  return v;
}

/** The flags `hgm ntk --network` reads (beside the method, σw, σb and parameterization of the network flags). */
export interface NetworkSpecFlags {
  network: string;
  shape?: string;
  method: string;
  wStd: string;
  bStd: string;
  parameterization: string;
  x: string;
  x2?: string;
  kernel: string;
  json?: boolean;
  out?: string;
}

/** A spec error of the network or its inputs as a usage error (exit 2); anything else as it is. */
export function networkUsageError(e: unknown): unknown {
  return e instanceof Error && ['KernelSpecError', 'ParseError', 'DomainError', 'RangeError'].includes(e.name) ? new UsageError(`--network: ${e.message}`) : e;
}

/** The flags a `--network` description is built from (`hgm ntk`, `hgm regress`). */
export interface NetworkFromFlags {
  network: string;
  shape?: string | undefined;
  method: string;
  wStd: string;
  bStd: string;
  parameterization: string;
  activation?: string | undefined;
  expr?: string | undefined;
  artifact?: string | undefined;
  width?: string | undefined;
}

/**
 * The network of `--network` with its `--method`, `--w-std`, `--b-std`, `--parameterization` and `--shape`, checked:
 * every error is a usage error. The activations are in the description, so `--activation`, `--expr`, `--artifact` and
 * `--width` are refused.
 *
 * For example `networkFromFlags({ network: 'dense relu dense', method: 'closed', wStd: '1', bStd: '0', parameterization: 'ntk' }).shape` gives undefined.
 */
export function networkFromFlags(flags: NetworkFromFlags): { net: Network; shape: number[] | undefined } {
  const num = (t: string, flag: string) => {
    const v = Number(t);
    if (t.trim() === '' || !Number.isFinite(v) || v < 0) throw new UsageError(`${flag}: expected a number ≥ 0, got "${t}"`);
    return v;
  };
  const other = (['activation', 'expr', 'artifact', 'width'] as const).filter((k) => flags[k] !== undefined);
  if (other.length > 0)
    throw new UsageError(`--${other[0]} does not go with --network: the activations and widths are in the description, e.g. 'dense(512) relu dense'`);
  if (flags.parameterization !== 'ntk' && flags.parameterization !== 'standard') throw new UsageError(`--parameterization: expected ntk or standard`);
  try {
    const method = parseDualMethod(flags.method);
    const net = parseNetworkSpec(flags.network, (a) => dualProvider(a, method, activationResolver), {
      wStd: num(flags.wStd, '--w-std'),
      bStd: num(flags.bStd, '--b-std'),
      parameterization: flags.parameterization,
    });
    return { net, shape: flags.shape === undefined ? undefined : parseShape(flags.shape) };
  } catch (e) {
    throw networkUsageError(e);
  }
}

/**
 * `hgm ntk --network '<spec>' [--shape H,W,C]`: the kernel of a described network, in this thread (one batch per
 * activation layer and block of inputs), printed or written as `hgm ntk` does.
 *
 * For example `hgm ntk --network 'conv(16,3x3,SAME) relu globalAvgPool dense' --shape 8,8,1 --x digits.csv --method hgm`.
 */
export function runNetworkNtk(flags: NetworkSpecFlags): void {
  if (flags.kernel !== 'ntk' && flags.kernel !== 'nngp') throw new UsageError(`--kernel: expected ntk or nngp, got "${flags.kernel}"`);
  const { net, shape } = networkFromFlags(flags);
  // Checked before anything is read or computed (src/output.ts).
  const out = planOutput(flags.out, '--out');
  if (out?.kind === 'stdout' && flags.json) throw new UsageError('--out - and --json both write to standard output; give one');
  const x = readNumericCsv(flags.x).rows;
  const x2 = flags.x2 !== undefined ? readNumericCsv(flags.x2).rows : null;
  checkMemory(`hgm ntk --network: K(${flags.x}, ${flags.x2 ?? flags.x})`, [[x.length, (x2 ?? x).length]], 4);
  const start = performance.now();
  let m: Matrix;
  try {
    m = net.kernelFn(x, x2, flags.kernel === 'ntk' ? 'ntk' : 'nngp', shape ? { shape } : {});
  } catch (e) {
    throw networkUsageError(e);
  }
  const seconds = (performance.now() - start) / 1000;
  printKernelMatrix(
    m,
    out,
    flags,
    `${flags.kernel.toUpperCase()} ${m.rows}×${m.cols}, network ${flags.network}, method ${flags.method} (${seconds.toFixed(2)} s)`,
    false,
  );
}
