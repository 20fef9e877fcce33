/**
 * A coverage report in the shape GET /_emulator/coverage answers, for the dashboard's tests of
 * the Coverage view (the browser serves it in place of the emulator's own).
 */
export const COVERAGE_SAMPLE = {
  since: '2026-01-05T08:00:00.000Z',
  operations: [
    {
      operationId: 'Get-AdminFlowOwnerRole',
      surface: 'flow',
      seen: { '200': { count: 3, injected: 0 }, '429': { count: 2, injected: 1 } },
      neverSeen: ['400', '401', '403'],
    },
    {
      operationId: 'List-AdminFlows',
      surface: 'connector',
      seen: { '200': { count: 12, injected: 0 }, '401': { count: 1, injected: 0 } },
      neverSeen: [],
    },
    { operationId: 'Token', surface: 'entra', seen: {}, neverSeen: ['200', '400'] },
  ],
}
