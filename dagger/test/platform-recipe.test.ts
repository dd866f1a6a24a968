// The image recipe as the module hands it to the engine: services/Dockerfile with the build
// arguments of platformBuildArgs and of each service (imageBuildArgs). For a foreign target, no stage that runs a command may
// be on the target's platform (it would run under emulation); only stages that copy may be.
import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { DockerfileParser } from "dockerfile-ast";

import { IMAGE_RECIPE, imageBuildArgs } from "../module/src/lib/image-recipe.js";
import { platformBuildArgs, type SupportedPlatform } from "../module/src/lib/platforms.js";
import { readCatalogue } from "../../.ci/images/catalogue.js";

const ROOT = new URL("../../", import.meta.url);
const SERVICES = readCatalogue().services;

interface Stage {
  name: string | undefined;
  platform: string;
  runsCommands: boolean;
}

/**
 * Each stage's platform as BuildKit resolves it: the --platform flag with the build arguments
 * expanded, else the target platform (a stage built FROM an earlier stage keeps that stage's).
 */
function stagesOf(dockerfileText: string, args: ReadonlyMap<string, string>, target: string): Stage[] {
  const stages: Stage[] = [];
  for (const from of DockerfileParser.parse(dockerfileText).getFROMs()) {
    const flag = from.getPlatformFlag()?.getValue();
    // A stage FROM an earlier one, its name perhaps from a global argument (volume-${DATA_VOLUME}).
    const image = (from.getImageName() ?? "").replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args.get(name) ?? whole);
    const base = stages.find((stage) => stage.name !== undefined && stage.name === image);
    let platform = base?.platform ?? target;
    if (flag !== undefined && flag !== null) {
      platform = flag.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
        const value = args.get(name);
        if (value === undefined) throw new Error(`--platform=${flag}: ${name} is not given`);
        return value;
      });
    }
    stages.push({ name: from.getBuildStage() ?? undefined, platform, runsCommands: false });
  }
  // Which stage each RUN belongs to: the last FROM above it.
  const instructions = DockerfileParser.parse(dockerfileText).getInstructions();
  let index = -1;
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") index += 1;
    const stage = stages[index];
    if (instruction.getKeyword() === "RUN" && stage !== undefined) stage.runsCommands = true;
  }
  return stages;
}

describe("the image recipe's platforms", () => {
  const cases: Array<[SupportedPlatform, SupportedPlatform]> = [
    ["linux/amd64", "linux/arm64"],
    ["linux/arm64", "linux/amd64"],
  ];

  for (const spec of SERVICES) {
    for (const [native, target] of cases) {
      it(`${spec.name} for ${target} on ${native}: every command runs natively`, async () => {
        const text = await readFile(new URL(IMAGE_RECIPE, ROOT), "utf8");
        const args = new Map<string, string>([...platformBuildArgs(native, target), ...imageBuildArgs(spec)].map((arg) => [arg.name, arg.value]));
        const stages = stagesOf(text, args, target);
        expect(stages.filter((stage) => stage.runsCommands), "a stage that runs commands").not.to.be.empty;
        for (const stage of stages.filter((s) => s.runsCommands)) {
          expect(stage.platform, `stage ${stage.name ?? "(unnamed)"} runs commands`).to.equal(native);
        }
        // The image itself is the target's.
        expect(stages.at(-1)?.platform).to.equal(target);
      });
    }
  }

  it("would catch a build stage left on the engine's default, as Dagger sets only the target", async () => {
    const text = await readFile(new URL(IMAGE_RECIPE, ROOT), "utf8");
    // Without the module's arguments BuildKit makes BUILDPLATFORM the target platform.
    const stages = stagesOf(text, new Map([["BUILDPLATFORM", "linux/arm64"], ["TARGETPLATFORM", "linux/arm64"]]), "linux/arm64");
    expect(stages.filter((stage) => stage.runsCommands).map((stage) => stage.platform)).to.include("linux/arm64");
  });
});
