/** The function-URL adapter as the subscribe and unsubscribe handlers reach it: through wiring, like every adapter. */
export { functionUrlResult, readFunctionUrlRequest } from '../../adapters/aws/function-url-request.js';
