#include "boundary.h"

#include <emscripten.h>

EM_JS(void, throw_js_error, (const char* error_class, const char* message),
      { throw new globalThis[UTF8ToString(error_class)](UTF8ToString(message)); });
