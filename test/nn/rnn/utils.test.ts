import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../../src/index.js";
import { assertClose } from "../../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../../helpers/fixtures.js";

const { rnn } = torch.nn.utils;

interface PackCase {
  x: EncodedTensor;
  lengths: number[];
  enforceSorted: boolean;
  batchFirst: boolean;
  data: EncodedTensor;
  batchSizes: number[];
  sortedIndices: number[] | null;
  unsortedIndices: number[] | null;
  padded: EncodedTensor;
  paddedLengths: number[];
}
interface Packed {
  seqs: EncodedTensor[];
  data: EncodedTensor;
  batchSizes: number[];
  sortedIndices?: number[];
  unsortedIndices?: number[];
}
const fx = loadFixture<{
  padSequence: {
    seqs: EncodedTensor[];
    cases: {
      batchFirst: boolean;
      paddingValue: number;
      out: EncodedTensor;
      w: EncodedTensor;
      grads: EncodedTensor[];
    }[];
  };
  pack: PackCase[];
  packSequence: { sorted: Packed; unsorted: Packed };
}>("rnn", "utils");

const ints = (t: torch.Tensor | null): number[] | null => (t ? Array.from(t.toArray()) : null);

describe("nn.utils.rnn vs PyTorch", () => {
  for (const c of fx.padSequence.cases) {
    it(`padSequence batchFirst=${c.batchFirst} paddingValue=${c.paddingValue}, with gradients`, () => {
      const seqs = fx.padSequence.seqs.map((s) => decode(s, { requiresGrad: true }));
      const out = rnn.padSequence(seqs, { batchFirst: c.batchFirst, paddingValue: c.paddingValue });
      assertClose(out, c.out);
      out.mul(decode(c.w)).sum().backward();
      seqs.forEach((s, i) => assertClose(s.grad!, c.grads[i]!));
    });
  }
  for (const c of fx.pack) {
    it(`packPaddedSequence lengths ${c.lengths} enforceSorted=${c.enforceSorted} batchFirst=${c.batchFirst}, padPackedSequence back`, () => {
      const p = rnn.packPaddedSequence(decode(c.x), torch.tensor(c.lengths, { dtype: "int32" }), {
        batchFirst: c.batchFirst,
        enforceSorted: c.enforceSorted,
      });
      assertClose(p.data, c.data, { rtol: 0, atol: 0 });
      assert.deepEqual(ints(p.batchSizes), c.batchSizes);
      assert.deepEqual(ints(p.sortedIndices), c.sortedIndices);
      assert.deepEqual(ints(p.unsortedIndices), c.unsortedIndices);
      const [padded, lengths] = rnn.padPackedSequence(p, {
        batchFirst: c.batchFirst,
        paddingValue: -9,
        totalLength: 6,
      });
      assertClose(padded, c.padded, { rtol: 0, atol: 0 });
      assert.deepEqual(ints(lengths), c.paddedLengths);
    });
  }
  it("packSequence sorted and unsorted", () => {
    const { sorted, unsorted } = fx.packSequence;
    const ps = rnn.packSequence(sorted.seqs.map((s) => decode(s)));
    assertClose(ps.data, sorted.data, { rtol: 0, atol: 0 });
    assert.deepEqual(ints(ps.batchSizes), sorted.batchSizes);
    assert.equal(ps.sortedIndices, null);
    const pu = rnn.packSequence(
      unsorted.seqs.map((s) => decode(s)),
      { enforceSorted: false },
    );
    assertClose(pu.data, unsorted.data, { rtol: 0, atol: 0 });
    assert.deepEqual(ints(pu.batchSizes), unsorted.batchSizes);
    assert.deepEqual(ints(pu.sortedIndices), unsorted.sortedIndices);
    assert.deepEqual(ints(pu.unsortedIndices), unsorted.unsortedIndices);
  });
});
