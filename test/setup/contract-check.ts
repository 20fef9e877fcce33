import { afterEach, expect } from 'vitest'

import { checkEveryResponse, takeViolations } from '../helpers/response-contract.ts'

// Every test file: each response an app sends is checked against the OpenAPI document, and a
// test whose requests got an answer the document does not describe fails, naming them.
checkEveryResponse()

afterEach(() => {
  const found = takeViolations()
  expect(found, 'responses the OpenAPI document does not describe').toEqual([])
})
