/** Types of build.mjs (a plain Node script, so that it runs without tsx). */
export declare const GO_DIR: string;
export declare const BIN_DIR: string;
export declare function buildGo(): Promise<{ ok: true; bin: string } | { ok: false; reason: string }>;
