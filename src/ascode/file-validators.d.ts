// The file validators the build compiles, one per kind (scripts/file-validators.ts serves them).
declare module "virtual:file-validators" {
  import type { ValidateFunction } from "ajv/dist/2020.js";

  export const insight: ValidateFunction;
  export const dashboard: ValidateFunction;
  export const action: ValidateFunction;
  export const cohort: ValidateFunction;
}
