export const PROVIDERS = ['google', 'microsoft', 'hubspot'] as const;
