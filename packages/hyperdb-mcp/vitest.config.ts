import { definePackageConfig } from "../../config/vitest/package-config.ts";

export default definePackageConfig(import.meta.dirname);
