// IPython syntax in a notebook cell -> plain Python, line for line, so the Python analyzer can
// read the cell and every fact keeps its line. IPython only recognises its escapes at the start
// of a logical line, so a line inside brackets, a triple-quoted string or after a backslash
// continuation is left alone (`(a\n % b)` is a modulo, not a magic).
#pragma once
#include <string>
#include <string_view>

namespace mlaudit::notebooks {

// The cell's source with IPython-only lines neutralised, with the same number of lines:
//   %line_magic, !shell, x = !shell, x = %magic, name?, ??name  -> indentation + "pass"
//   a %%cell_magic first line                                   -> "pass"; the body is kept
//                                                                  when the magic runs Python
//                                                                  (%%time, %%capture, ...),
//                                                                  else every line is emptied
// "pass" keeps an indented block that held only a magic valid Python.
std::string ipython_to_python(std::string_view source);

// Whether a `%%name` cell magic runs its body as Python in the kernel.
bool is_python_cell_magic(std::string_view name);

}  // namespace mlaudit::notebooks
