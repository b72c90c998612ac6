export declare function buildChanged(): Promise<void>;
