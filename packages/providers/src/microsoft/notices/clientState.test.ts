import { connectionOfClientState, graphClientState } from './clientState';

const connectionId = '0b7f8a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';

describe('Graph clientState', () => {
  it('names its connection, fits Graph’s 128 characters and verifies only with the same key', () => {
    const state = graphClientState('key-one', connectionId);
    expect(state.length).toBeLessThanOrEqual(128);
    expect(connectionOfClientState('key-one', state)).toBe(connectionId);
    expect(connectionOfClientState('key-two', state)).toBeNull();
  });

  it('refuses a state moved to another connection or cut short', () => {
    const state = graphClientState('key-one', connectionId);
    const other = '1b7f8a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(connectionOfClientState('key-one', `${other}${state.slice(connectionId.length)}`)).toBeNull();
    expect(connectionOfClientState('key-one', state.slice(0, -1))).toBeNull();
    expect(connectionOfClientState('key-one', 'no-dot')).toBeNull();
    expect(connectionOfClientState('key-one', '')).toBeNull();
  });
});
