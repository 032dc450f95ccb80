import { VERSION } from "@comfy-ts/core";
import { expect, test } from "vitest";
test("resolves core from source", () => { expect(VERSION).toBe("0.1.0"); });
