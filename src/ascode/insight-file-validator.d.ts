// The insight-file validator the build compiles (scripts/insight-file-validator.ts serves it).
declare module "virtual:insight-file-validator" {
  import type { ValidateFunction } from "ajv/dist/2020.js";

  const validate: ValidateFunction;
  export default validate;
}
