import { type ProviderModule } from './core/types';
import { googleModule } from './google';

/** Every provider module the sandbox serves by default. Each provider adds one line here. */
export const ALL_MODULES: ProviderModule[] = [googleModule];
