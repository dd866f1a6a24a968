import { expect } from "chai";
import { backoffMs } from "../src/registration.js";

describe("wrk-base registration backoff", () => {
  it("doubles from 250 ms up to the ceiling", () => {
    const top = (failures: number) => backoffMs(failures, 10_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(top)).to.deep.equal([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(top(1000)).to.equal(10_000);
  });

  it("spreads retries over the upper half of the step, so workers do not retry in step", () => {
    expect(backoffMs(3, 10_000, () => 0)).to.equal(500);
    expect(backoffMs(3, 10_000, () => 0.5)).to.equal(750);
    for (let i = 0; i < 100; i++) expect(backoffMs(4, 10_000)).to.be.within(1000, 2000);
  });

  it("treats zero failures like the first", () => {
    expect(backoffMs(0, 10_000, () => 1)).to.equal(250);
  });
});
