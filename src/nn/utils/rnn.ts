/**
 * torch.nn.utils.rnn: variable-length batches for the recurrent layers. A PackedSequence holds
 * the time steps of sequences sorted by decreasing length, step after step, so that a recurrent
 * layer only computes the rows that are still running.
 *
 * @example
 * const packed = nn.utils.rnn.packPaddedSequence(x, [3, 2], { enforceSorted: false });
 * const [out] = lstm.forward(packed);
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(out as nn.utils.rnn.PackedSequence);
 */
import { ShapeError, ValueError } from "../../errors.js";
import { cat, stack } from "../../ops/join.js";
import { full, tensor } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";

/**
 * A packed batch (torch.nn.utils.rnn.PackedSequence): `data` [sum of lengths, *] holds step 0 of
 * every sequence, then step 1 of those still running, ...; `batchSizes[t]` (int tensor) is the
 * number of sequences at step t. `sortedIndices` maps packed rows to the caller's batch order,
 * `unsortedIndices` is its inverse (both null when the batch came sorted).
 */
export class PackedSequence {
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  constructor(
    readonly data: Tensor,
    readonly batchSizes: Tensor,
    sortedIndices: Tensor | null = null,
    unsortedIndices: Tensor | null = null,
  ) {
    this.sortedIndices = sortedIndices;
    this.unsortedIndices =
      unsortedIndices ?? (sortedIndices === null ? null : invertPermutation(sortedIndices));
  }

  /** The batch sizes as numbers. */
  batchSizesArray(): number[] {
    return Array.from(this.batchSizes.toArray(), Number);
  }

  /** PyTorch's tuple unpacking: `[data, batchSizes, sortedIndices, unsortedIndices]`. */
  toArray(): [Tensor, Tensor, Tensor | null, Tensor | null] {
    return [this.data, this.batchSizes, this.sortedIndices, this.unsortedIndices];
  }
}

function invertPermutation(permutation: Tensor): Tensor {
  const p = Array.from(permutation.toArray(), Number);
  const inv = new Array<number>(p.length);
  p.forEach((v, i) => (inv[v] = i));
  return tensor(inv, { dtype: "int32" });
}

function lengthsArray(lengths: Tensor | readonly number[]): number[] {
  return Array.isArray(lengths)
    ? [...(lengths as readonly number[])]
    : Array.from((lengths as Tensor).toArray(), Number);
}

/**
 * Packs a padded batch [T, B, *] (or [B, T, *] with `batchFirst`) of sequences with the given
 * lengths (torch.nn.utils.rnn.pack_padded_sequence). With `enforceSorted` (the default) the
 * lengths must decrease; otherwise the batch is sorted first and the order is remembered.
 *
 * @example
 * nn.utils.rnn.packPaddedSequence(x, [4, 2, 1]).batchSizes; // [3, 2, 1, 1]
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: Tensor | readonly number[],
  options: { batchFirst?: boolean; enforceSorted?: boolean } = {},
): PackedSequence {
  const batchFirst = options.batchFirst ?? false;
  let lens = lengthsArray(lengths);
  let sortedIndices: Tensor | null = null;
  if (options.enforceSorted ?? true) {
    for (let i = 1; i < lens.length; i++) {
      if (lens[i]! > lens[i - 1]!) {
        throw new ValueError(
          "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.",
        );
      }
    }
  } else {
    // A stable descending sort, as PyTorch's CPU sort orders equal lengths by position.
    const order = lens.map((_, i) => i).sort((a, b) => lens[b]! - lens[a]! || a - b);
    sortedIndices = tensor(order, { dtype: "int32" });
    input = input.indexSelect(batchFirst ? 0 : 1, sortedIndices);
    lens = order.map((i) => lens[i]!);
  }
  if (batchFirst) input = input.transpose(0, 1);
  const batch = input.shape[1]!;
  if (lens.length !== batch) {
    throw new ShapeError(
      `Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${batch})`,
    );
  }
  if (lens.length > 0 && lens[lens.length - 1]! <= 0) {
    throw new ShapeError(
      "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
    );
  }
  const steps = lens[0] ?? 0;
  if (steps > input.shape[0]!) {
    throw new ShapeError(
      `Expected sequence length to be larger than or equal to max length (${steps}), got ${input.shape[0]}`,
    );
  }
  const batchSizes: number[] = [];
  const pieces: Tensor[] = [];
  for (let t = 0; t < steps; t++) {
    let bs = 0;
    while (bs < lens.length && lens[bs]! > t) bs++;
    batchSizes.push(bs);
    const step = input.select(0, t);
    pieces.push(bs === batch ? step : step.narrow(0, 0, bs));
  }
  return new PackedSequence(cat(pieces, 0), tensor(batchSizes, { dtype: "int32" }), sortedIndices);
}

/**
 * Unpacks to a padded batch and the lengths (torch.nn.utils.rnn.pad_packed_sequence), in the
 * batch order the sequences were packed from.
 *
 * @example
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(packed, { batchFirst: true });
 */
export function padPackedSequence(
  sequence: PackedSequence,
  options: { batchFirst?: boolean; paddingValue?: number; totalLength?: number } = {},
): [Tensor, Tensor] {
  const batchSizes = sequence.batchSizesArray();
  let steps = batchSizes.length;
  if (options.totalLength !== undefined) {
    if (options.totalLength < steps) {
      throw new ValueError(
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${options.totalLength} and max sequence length being ${steps}`,
      );
    }
    steps = options.totalLength;
  }
  const data = sequence.data;
  const batch = batchSizes[0] ?? 0;
  const feature = data.shape.slice(1);
  const pad = options.paddingValue ?? 0;
  const rows: Tensor[] = [];
  let offset = 0;
  for (let t = 0; t < steps; t++) {
    const bs = batchSizes[t] ?? 0;
    const block = data.narrow(0, offset, bs);
    offset += bs;
    rows.push(
      bs === batch
        ? block
        : cat([block, full([batch - bs, ...feature], pad, { dtype: data.dtype })], 0),
    );
  }
  let padded = stack(rows, 0);
  const lengths = new Array<number>(batch).fill(0);
  for (const bs of batchSizes) for (let b = 0; b < bs; b++) lengths[b]!++;
  let lengthsT = tensor(lengths, { dtype: "int32" });
  const unsorted = sequence.unsortedIndices;
  if (options.batchFirst ?? false) padded = padded.transpose(0, 1);
  if (unsorted !== null) {
    padded = padded.indexSelect((options.batchFirst ?? false) ? 0 : 1, unsorted);
    lengthsT = lengthsT.indexSelect(0, unsorted);
  }
  return [padded, lengthsT];
}

/**
 * Stacks sequences [L_i, *] of different lengths into [max L, B, *] ([B, max L, *] with
 * `batchFirst`), padding with `paddingValue` (torch.nn.utils.rnn.pad_sequence).
 *
 * @example
 * nn.utils.rnn.padSequence([a, b], { batchFirst: true }).shape; // [2, maxLen, ...]
 */
export function padSequence(
  sequences: readonly Tensor[],
  options: { batchFirst?: boolean; paddingValue?: number } = {},
): Tensor {
  const steps = Math.max(...sequences.map((s) => s.shape[0]!));
  const pad = options.paddingValue ?? 0;
  const padded = sequences.map((s) => {
    const missing = steps - s.shape[0]!;
    if (missing === 0) return s;
    return cat([s, full([missing, ...s.shape.slice(1)], pad, { dtype: s.dtype })], 0);
  });
  return stack(padded, (options.batchFirst ?? false) ? 0 : 1);
}

/**
 * Packs a list of sequences [L_i, *] (torch.nn.utils.rnn.pack_sequence); with `enforceSorted`
 * (the default) they must come longest first.
 *
 * @example
 * const packed = nn.utils.rnn.packSequence([a, b, c], { enforceSorted: false });
 */
export function packSequence(
  sequences: readonly Tensor[],
  options: { enforceSorted?: boolean } = {},
): PackedSequence {
  const lengths = sequences.map((s) => s.shape[0]!);
  return packPaddedSequence(padSequence(sequences), lengths, options);
}
