"""Every user-facing text, one table per language, keyed by code.

A finding code `x` has its message under `x` and its hint under `x.hint`; an error code the
same; interface labels live under `label.*`. Texts are `str.format` templates. The tests hold
both tables to the same keys and the same placeholders.
"""

from __future__ import annotations

import os
import string
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from plan57.errors import Plan57Error

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

# Severity of each finding code. Codes are stable: tools and people filter on them.
SEVERITY: dict[str, Literal["error", "warning"]] = {
    # files and their shape
    "link-refused": "error",
    "bad-file-name": "error",
    "unknown-reporter": "error",
    "bad-period": "error",
    "period-not-over": "error",
    "period-too-early": "error",
    "encoding": "error",
    "nul-byte": "error",
    "empty-file": "error",
    "delimiter": "error",
    "missing-column": "error",
    "unknown-column": "error",
    "duplicate-column": "error",
    "blank-row": "error",
    "ragged-row": "error",
    "repeated-header": "error",
    # rows
    "unknown-indicator": "error",
    "not-assigned": "error",
    "period-mismatch": "error",
    "missing-value": "error",
    "not-a-number": "error",
    "ambiguous-number": "error",
    "percent-out-of-range": "error",
    "index-out-of-range": "error",
    "negative-value": "error",
    "fractional-count": "error",
    "not-yes-no": "error",
    "numerator-above-denominator": "error",
    "ratio-mismatch": "error",
    "ratio-incomplete": "error",
    "ratio-required": "error",
    "zero-denominator": "error",
    "duplicate-indicator": "error",
    "flow-overlap": "error",
    # plausibility
    "value-jump": "warning",
    "stock-fell": "warning",
    # the catalogue, for the secretariat
    "catalogue-overlap": "warning",
    "catalogue-target-down": "warning",
    "catalogue-no-monitor": "warning",
    "catalogue-empty-group": "warning",
}

VI: dict[str, str] = {
    # --- findings: files and their shape ---
    "link-refused": "Đây là liên kết tượng trưng (symlink); plan57 không đọc tệp qua liên kết.",
    "link-refused.hint": "Thay liên kết bằng chính tệp CSV, đặt trong thư mục của đơn vị.",
    "bad-file-name": "Tệp không đúng chỗ hoặc sai tên: phải là data/submissions/<mã đơn vị>/<kỳ>.csv.",
    "bad-file-name.hint": "Đổi tên hoặc chuyển tệp, ví dụ data/submissions/so-tc/2025Q4.csv.",
    "unknown-reporter": "Thư mục «{reporter}» không phải mã của đơn vị báo cáo nào trong danh mục.",
    "unknown-reporter.hint": "Đặt tệp vào thư mục mang mã đơn vị của mình; xem các mã bằng lệnh plan57 catalogue.{suggestion}",
    "bad-period": "«{period}» không phải kỳ báo cáo hợp lệ.",
    "bad-period.hint": "Kỳ viết là 2025 (năm), 2025S1 (6 tháng), 2025Q1 (quý) hoặc 2025M01 (tháng).",
    "period-not-over": "Kỳ {period} chưa kết thúc: kỳ kết thúc ngày {end}, hôm nay là {as_of}.",
    "period-not-over.hint": "Chỉ nộp số liệu của kỳ đã kết thúc; kiểm tra lại tên tệp.",
    "period-too-early": "Kỳ {period} trước năm gốc {baseline}.",
    "period-too-early.hint": "Số liệu được nhận từ năm gốc {baseline} trở đi; kiểm tra lại tên tệp.",
    "encoding": "Tệp không phải UTF-8; có vẻ được lưu bằng bảng mã {encoding} (thường do Excel).",
    "encoding.hint": "Chạy «plan57 fix {file}», hoặc trong Excel chọn Lưu dưới dạng → CSV UTF-8 (Comma delimited).",
    "nul-byte": "Tệp chứa ký tự NUL (byte 0): tệp bị hỏng hoặc không phải tệp văn bản.",
    "nul-byte.hint": "Xuất lại tệp từ Excel dưới dạng CSV UTF-8 (Comma delimited).",
    "empty-file": "Tệp trống, không có dòng tiêu đề.",
    "empty-file.hint": "Dòng đầu tiên phải là tiêu đề, ví dụ: indicator,value,note. Lệnh plan57 template tạo sẵn tệp mẫu.",
    "delimiter": "Các cột được phân tách bằng {delimiter} thay vì dấu phẩy.",
    "delimiter.hint": "Chạy «plan57 fix {file}», hoặc lưu lại dưới dạng CSV UTF-8 (Comma delimited).",
    "missing-column": "Thiếu cột bắt buộc «{name}».",
    "missing-column.hint": "Dòng tiêu đề phải có các cột indicator và value (viết thường, không dấu).",
    "unknown-column": "Cột «{name}» không thuộc mẫu báo cáo.",
    "unknown-column.hint": "Các cột được nhận: {allowed}. Xóa cột này hoặc sửa lại tên cột.",
    "duplicate-column": "Cột «{name}» xuất hiện hai lần trong dòng tiêu đề.",
    "duplicate-column.hint": "Giữ lại một cột «{name}» và xóa cột kia.",
    "blank-row": "Dòng trống.",
    "blank-row.hint": "Xóa dòng trống, hoặc chạy «plan57 fix {file}».",
    "ragged-row": "Dòng có {found} ô, nhưng dòng tiêu đề có {expected} cột.",
    "ragged-row.hint": "Kiểm tra dấu phẩy thừa hoặc thiếu; ô có chứa dấu phẩy phải đặt trong dấu ngoặc kép.",
    "repeated-header": "Dòng tiêu đề bị lặp lại giữa tệp.",
    "repeated-header.hint": "Xóa dòng này; thường do dán hai tệp nối nhau.",
    # --- findings: rows ---
    "unknown-indicator": "Mã chỉ tiêu «{value}» không có trong danh mục.",
    "unknown-indicator.hint": "Mã chỉ tiêu có dạng CT01 … CT55.{suggestion}",
    "not-assigned": "Đơn vị {reporter} không được giao báo cáo chỉ tiêu {indicator}.",
    "not-assigned.hint": "Chỉ tiêu này do {reporters} báo cáo; xóa dòng này hoặc đề nghị Văn phòng Tỉnh ủy bổ sung phân công.",
    "period-mismatch": "Cột period ghi «{value}» nhưng tệp là của kỳ {period}.",
    "period-mismatch.hint": "Sửa ô thành {period}, hoặc chuyển dòng sang tệp của kỳ «{value}».",
    "missing-value": "Chưa có giá trị.",
    "missing-value.hint": "Điền giá trị; nếu chưa có số liệu thì xóa dòng này.",
    "not-a-number": "«{value}» không phải là một số.",
    "not-a-number.hint": "Viết số bằng chữ số, dấu chấm thập phân, không kèm đơn vị hay dấu %, ví dụ 12.5.",
    "ambiguous-number": "«{value}» có dấu phân cách hàng nghìn hoặc dấu phẩy thập phân nên không rõ nghĩa.",
    "ambiguous-number.hint": "Viết không có dấu phân cách hàng nghìn và dùng dấu chấm thập phân (1500 hoặc 1.5); «plan57 fix» tự đổi khi nghĩa là chắc chắn.",
    "percent-out-of-range": "Tỷ lệ {value} nằm ngoài khoảng 0–100.",
    "percent-out-of-range.hint": "Nhập tỷ lệ phần trăm từ 0 đến 100, ví dụ 85.5 (không phải 0.855).",
    "index-out-of-range": "Chỉ số {value} nằm ngoài khoảng 0–1.",
    "index-out-of-range.hint": "Nhập chỉ số từ 0 đến 1, ví dụ 0.62.",
    "negative-value": "Giá trị {value} là số âm.",
    "negative-value.hint": "Số lượng và tỷ lệ không thể âm; kiểm tra lại số liệu.",
    "fractional-count": "Số lượng {value} không phải số nguyên.",
    "fractional-count.hint": "Nhập số nguyên, ví dụ 12.",
    "not-yes-no": "Chỉ tiêu này cần câu trả lời có/không, nhưng ô ghi «{value}».",
    "not-yes-no.hint": "Ghi yes hoặc no (cũng nhận có hoặc không).",
    "numerator-above-denominator": "Tử số {numerator} lớn hơn mẫu số {denominator}.",
    "numerator-above-denominator.hint": "Tử số là phần đạt được, mẫu số là tổng số; kiểm tra xem có bị đảo hai cột không.",
    "ratio-mismatch": "Giá trị {value} không khớp với tử số/mẫu số: {numerator}/{denominator} cho {expected}.",
    "ratio-mismatch.hint": "Sửa giá trị thành {expected}, hoặc sửa lại tử số, mẫu số.",
    "ratio-incomplete": "Có cột {present} nhưng thiếu {missing}.",
    "ratio-incomplete.hint": "Điền cả tử số và mẫu số, hoặc để trống cả hai.",
    "ratio-required": "Chỉ tiêu {indicator} được tổng hợp từ nhiều đơn vị nên cần tử số và mẫu số.",
    "ratio-required.hint": "Điền cột numerator (phần đạt được) và denominator (tổng số) của đơn vị mình.",
    "zero-denominator": "Mẫu số bằng 0.",
    "zero-denominator.hint": "Mẫu số là tổng số nên phải lớn hơn 0; nếu đơn vị không có đối tượng thì xóa dòng này.",
    "duplicate-indicator": "Chỉ tiêu {indicator} đã có ở dòng {first_line}.",
    "duplicate-indicator.hint": "Mỗi chỉ tiêu chỉ ghi một dòng trong một tệp; giữ lại dòng đúng.",
    "flow-overlap": "Chỉ tiêu {indicator} (tính theo năm) đã được báo cáo cho kỳ {other_period} ở {other_file}, chồng lấn với kỳ {period}.",
    "flow-overlap.hint": "Với chỉ tiêu tính mỗi năm, chỉ báo cáo các kỳ không chồng lấn (theo quý hoặc theo tháng, không cả hai).",
    "value-jump": "Giá trị {value} khác xa các lần báo cáo trước của đơn vị (trung vị {median}).",
    "value-jump.hint": "Kiểm tra lại đơn vị tính và số liệu; nếu đúng, ghi giải thích vào cột note.",
    "stock-fell": "Giá trị giảm từ {previous} (kỳ {previous_period}) xuống {value}.",
    "stock-fell.hint": "Chỉ tiêu này là số tích lũy; nếu giảm là thật, ghi lý do vào cột note.",
    "catalogue-overlap": "Chỉ tiêu {indicator} trùng nội dung với {other} nhưng mục tiêu năm {year} khác nhau ({target} và {other_target}).",
    "catalogue-overlap.hint": "Văn phòng thường trực nên thống nhất hai chỉ tiêu hoặc ghi rõ chỗ khác nhau.",
    "catalogue-target-down": "Mục tiêu của {indicator} giảm từ {previous} (năm {previous_year}) xuống {target} (năm {year}).",
    "catalogue-target-down.hint": "Kiểm tra lại mục tiêu với văn bản kế hoạch; nếu đúng là giảm, ghi chú lý do trong danh mục.",
    "catalogue-no-monitor": "Chỉ tiêu {indicator} chưa có đơn vị theo dõi, đánh giá.",
    "catalogue-no-monitor.hint": "Bổ sung đơn vị theo dõi (monitors) cho chỉ tiêu trong data/targets.yaml.",
    "catalogue-empty-group": "Nhóm {group} chưa có thành viên nên chưa đơn vị nào nộp được chỉ tiêu {indicators}.",
    "catalogue-empty-group.hint": "Bổ sung các đơn vị thành viên (members) của nhóm trong data/targets.yaml.",
    # --- errors that stop the run ---
    "catalogue-missing": "Không tìm thấy danh mục chỉ tiêu {path}.",
    "catalogue-missing.hint": "Chạy lệnh trong kho dữ liệu (có data/targets.yaml), hoặc chỉ rõ bằng --catalogue.",
    "catalogue-unreadable": "Không đọc được danh mục {path}: {reason}.",
    "catalogue-unreadable.hint": "Danh mục phải là tệp YAML mã hóa UTF-8.",
    "catalogue-yaml": "{path}, dòng {line}: YAML không hợp lệ: {reason}.",
    "catalogue-yaml.hint": "Sửa cú pháp YAML ở dòng này (thụt lề, dấu hai chấm, dấu ngoặc kép).",
    "catalogue-invalid": "{path}, dòng {line}: {field}: {reason}.",
    "catalogue-invalid.hint": "Sửa mục này trong danh mục; xem cấu trúc trong docs/catalogue.md.",
    "path-missing": "Không tìm thấy {path}.",
    "path-missing.hint": "Kiểm tra lại đường dẫn.",
    "path-outside": "{path} nằm ngoài kho dữ liệu {root}.",
    "path-outside.hint": "Chỉ kiểm tra các tệp trong data/submissions/ của kho.",
    "bad-date": "«{value}» không phải ngày hợp lệ.",
    "bad-date.hint": "Viết ngày theo dạng YYYY-MM-DD, ví dụ 2026-01-15.",
    "bad-period-option": "«{value}» không phải kỳ báo cáo hợp lệ.",
    "bad-period-option.hint": "Kỳ viết là 2025, 2025S1, 2025Q1 hoặc 2025M01.",
    "write-failed": "Không ghi được {path}: {reason}.",
    "write-failed.hint": "Kiểm tra quyền ghi và dung lượng đĩa.",
    "internal": "Lỗi nội bộ: {reason}.",
    "internal.hint": "Chạy lại với --debug và gửi kết quả cho nhóm phát triển.",
    # --- interface labels ---
    "label.error": "lỗi",
    "label.warning": "cảnh báo",
    "label.hint": "Cách sửa",
    "label.line": "dòng",
    "label.column": "cột",
    "label.check-summary": "{errors} lỗi, {warnings} cảnh báo.",
    "label.check-ok": "Không có lỗi.",
    "label.did-you-mean": " Có phải {value} không?",
    "label.catalogue-title": "Danh mục chỉ tiêu — Kế hoạch {number}",
    "label.id": "Mã",
    "label.group": "Nhóm",
    "label.name": "Chỉ tiêu",
    "label.unit": "Đơn vị tính",
    "label.kind": "Loại",
    "label.flow": "mỗi năm",
    "label.stock": "tích lũy",
    "label.reporters": "Đơn vị báo cáo",
    "unit.percent": "%",
    "unit.percent_grdp": "% GRDP",
    "unit.count": "số lượng",
    "unit.per_10k": "trên 1 vạn dân",
    "unit.index": "chỉ số 0–1",
    "unit.yes_no": "có/không",
    # --- scoring and reports (issue 3) ---
    # --- revisions (issue 4) ---
    # --- templates, fix, status, codeowners (issue 5) ---
}

EN: dict[str, str] = {
    # --- findings: files and their shape ---
    "link-refused": "This is a symbolic link; plan57 does not read files through links.",
    "link-refused.hint": "Replace the link with the CSV file itself, in the reporter's folder.",
    "bad-file-name": "The file is misplaced or misnamed: it must be data/submissions/<reporter id>/<period>.csv.",
    "bad-file-name.hint": "Rename or move the file, e.g. data/submissions/so-tc/2025Q4.csv.",
    "unknown-reporter": "The folder “{reporter}” is not the id of any reporting unit in the catalogue.",
    "unknown-reporter.hint": "Put the file in the folder named after your reporter id; list the ids with plan57 catalogue.{suggestion}",
    "bad-period": "“{period}” is not a valid reporting period.",
    "bad-period.hint": "A period is written 2025 (year), 2025S1 (half), 2025Q1 (quarter) or 2025M01 (month).",
    "period-not-over": "Period {period} is not over yet: it ends on {end} and today is {as_of}.",
    "period-not-over.hint": "Submit figures only for periods that have ended; check the file name.",
    "period-too-early": "Period {period} is before the baseline year {baseline}.",
    "period-too-early.hint": "Figures are accepted from the baseline year {baseline} on; check the file name.",
    "encoding": "The file is not UTF-8; it looks saved as {encoding} (Excel does this).",
    "encoding.hint": "Run “plan57 fix {file}”, or in Excel use Save As → CSV UTF-8 (Comma delimited).",
    "nul-byte": "The file contains NUL characters (byte 0): it is damaged or not a text file.",
    "nul-byte.hint": "Export the file again from Excel as CSV UTF-8 (Comma delimited).",
    "empty-file": "The file is empty: it has no header row.",
    "empty-file.hint": "The first line must be the header, e.g. indicator,value,note. plan57 template writes a ready file.",
    "delimiter": "Columns are separated by {delimiter} instead of commas.",
    "delimiter.hint": "Run “plan57 fix {file}”, or save again as CSV UTF-8 (Comma delimited).",
    "missing-column": "The required column “{name}” is missing.",
    "missing-column.hint": "The header row must have the columns indicator and value (lower case).",
    "unknown-column": "The column “{name}” is not part of the submission format.",
    "unknown-column.hint": "Accepted columns: {allowed}. Remove this column or correct its name.",
    "duplicate-column": "The column “{name}” appears twice in the header row.",
    "duplicate-column.hint": "Keep one “{name}” column and delete the other.",
    "blank-row": "Blank row.",
    "blank-row.hint": "Delete the blank row, or run “plan57 fix {file}”.",
    "ragged-row": "The row has {found} cells but the header has {expected} columns.",
    "ragged-row.hint": "Look for an extra or missing comma; a cell that contains a comma must be in double quotes.",
    "repeated-header": "The header row is repeated inside the file.",
    "repeated-header.hint": "Delete this row; it usually comes from pasting two files together.",
    # --- findings: rows ---
    "unknown-indicator": "The indicator id “{value}” is not in the catalogue.",
    "unknown-indicator.hint": "Indicator ids are CT01 … CT55.{suggestion}",
    "not-assigned": "Reporter {reporter} is not assigned indicator {indicator}.",
    "not-assigned.hint": "This indicator is reported by {reporters}; delete the row or ask the secretariat to extend the assignment.",
    "period-mismatch": "The period column says “{value}” but the file is for period {period}.",
    "period-mismatch.hint": "Change the cell to {period}, or move the row to the file for period “{value}”.",
    "missing-value": "The value is missing.",
    "missing-value.hint": "Fill in the value; if there is no figure yet, delete the row.",
    "not-a-number": "“{value}” is not a number.",
    "not-a-number.hint": "Write digits with a decimal point and no unit or % sign, e.g. 12.5.",
    "ambiguous-number": "“{value}” has a thousands separator or a decimal comma, so its meaning is ambiguous.",
    "ambiguous-number.hint": "Write it without thousands separators and with a decimal point (1500 or 1.5); “plan57 fix” converts it where the meaning is certain.",
    "percent-out-of-range": "The percentage {value} is outside 0–100.",
    "percent-out-of-range.hint": "Enter a percentage from 0 to 100, e.g. 85.5 (not 0.855).",
    "index-out-of-range": "The index {value} is outside 0–1.",
    "index-out-of-range.hint": "Enter an index from 0 to 1, e.g. 0.62.",
    "negative-value": "The value {value} is negative.",
    "negative-value.hint": "Counts and rates cannot be negative; check the figure.",
    "fractional-count": "The count {value} is not a whole number.",
    "fractional-count.hint": "Enter a whole number, e.g. 12.",
    "not-yes-no": "This indicator needs a yes/no answer, but the cell says “{value}”.",
    "not-yes-no.hint": "Write yes or no (có or không are accepted too).",
    "numerator-above-denominator": "The numerator {numerator} is larger than the denominator {denominator}.",
    "numerator-above-denominator.hint": "The numerator is the part achieved, the denominator the total; check whether the two columns are swapped.",
    "ratio-mismatch": "The value {value} does not match numerator/denominator: {numerator}/{denominator} gives {expected}.",
    "ratio-mismatch.hint": "Change the value to {expected}, or correct the numerator and denominator.",
    "ratio-incomplete": "The {present} column is filled in but {missing} is missing.",
    "ratio-incomplete.hint": "Fill in both numerator and denominator, or leave both empty.",
    "ratio-required": "Indicator {indicator} is combined from several reporters, so it needs a numerator and a denominator.",
    "ratio-required.hint": "Fill in the numerator (the part achieved) and the denominator (the total) for your unit.",
    "zero-denominator": "The denominator is 0.",
    "zero-denominator.hint": "The denominator is a total and must be above 0; if your unit has nothing to count, delete the row.",
    "duplicate-indicator": "Indicator {indicator} already appears on line {first_line}.",
    "duplicate-indicator.hint": "Each indicator takes one row per file; keep the right one.",
    "flow-overlap": "Indicator {indicator} (counted per year) is already reported for period {other_period} in {other_file}, which overlaps period {period}.",
    "flow-overlap.hint": "For per-year indicators, report only periods that do not overlap (quarters or months, not both).",
    "value-jump": "The value {value} is far from this reporter's previous reports (median {median}).",
    "value-jump.hint": "Check the unit and the figure; if it is right, explain it in the note column.",
    "stock-fell": "The value fell from {previous} (period {previous_period}) to {value}.",
    "stock-fell.hint": "This indicator is a level that should not fall; if the fall is real, give the reason in the note column.",
    "catalogue-overlap": "Indicator {indicator} repeats {other} but their {year} targets differ ({target} and {other_target}).",
    "catalogue-overlap.hint": "The secretariat should merge the two indicators or state how they differ.",
    "catalogue-target-down": "The target of {indicator} goes down from {previous} ({previous_year}) to {target} ({year}).",
    "catalogue-target-down.hint": "Check the target against the plan's text; if the fall is intended, note the reason in the catalogue.",
    "catalogue-no-monitor": "Indicator {indicator} has no monitoring unit.",
    "catalogue-no-monitor.hint": "Add the monitoring unit (monitors) of the indicator in data/targets.yaml.",
    "catalogue-empty-group": "Group {group} has no members yet, so nobody can submit indicators {indicators}.",
    "catalogue-empty-group.hint": "Add the group's member units (members) in data/targets.yaml.",
    # --- errors that stop the run ---
    "catalogue-missing": "The indicator catalogue {path} was not found.",
    "catalogue-missing.hint": "Run the command inside the data repository (the one with data/targets.yaml), or name it with --catalogue.",
    "catalogue-unreadable": "The catalogue {path} cannot be read: {reason}.",
    "catalogue-unreadable.hint": "The catalogue must be a UTF-8 YAML file.",
    "catalogue-yaml": "{path}, line {line}: invalid YAML: {reason}.",
    "catalogue-yaml.hint": "Fix the YAML syntax on this line (indentation, colons, quotes).",
    "catalogue-invalid": "{path}, line {line}: {field}: {reason}.",
    "catalogue-invalid.hint": "Correct this entry in the catalogue; its structure is described in docs/catalogue.md.",
    "path-missing": "{path} was not found.",
    "path-missing.hint": "Check the path.",
    "path-outside": "{path} is outside the data repository {root}.",
    "path-outside.hint": "Check only files under the repository's data/submissions/.",
    "bad-date": "“{value}” is not a valid date.",
    "bad-date.hint": "Write the date as YYYY-MM-DD, e.g. 2026-01-15.",
    "bad-period-option": "“{value}” is not a valid reporting period.",
    "bad-period-option.hint": "A period is written 2025, 2025S1, 2025Q1 or 2025M01.",
    "write-failed": "Could not write {path}: {reason}.",
    "write-failed.hint": "Check write permissions and free disk space.",
    "internal": "Internal error: {reason}.",
    "internal.hint": "Run again with --debug and send the output to the developers.",
    # --- interface labels ---
    "label.error": "error",
    "label.warning": "warning",
    "label.hint": "How to fix",
    "label.line": "line",
    "label.column": "column",
    "label.check-summary": "{errors} errors, {warnings} warnings.",
    "label.check-ok": "No errors.",
    "label.did-you-mean": " Did you mean {value}?",
    "label.catalogue-title": "Indicator catalogue — Plan {number}",
    "label.id": "Id",
    "label.group": "Group",
    "label.name": "Indicator",
    "label.unit": "Unit",
    "label.kind": "Kind",
    "label.flow": "per year",
    "label.stock": "level",
    "label.reporters": "Reporters",
    "unit.percent": "%",
    "unit.percent_grdp": "% of GRDP",
    "unit.count": "count",
    "unit.per_10k": "per 10,000 people",
    "unit.index": "index 0–1",
    "unit.yes_no": "yes/no",
    # --- scoring and reports (issue 3) ---
    # --- revisions (issue 4) ---
    # --- templates, fix, status, codeowners (issue 5) ---
}

TABLES: dict[Lang, dict[str, str]] = {"vi": VI, "en": EN}


def default_lang() -> Lang:
    """The language from PLAN57_LANG, else Vietnamese."""
    value = os.environ.get("PLAN57_LANG", "vi").strip().lower()
    return "en" if value.startswith("en") else "vi"


def text(key: str, lang: Lang, **params: Any) -> str:
    """The text for `key` in `lang`, with its placeholders filled in."""
    return TABLES[lang][key].format_map(_Params(params))


def finding_text(code: str, lang: Lang, params: dict[str, Any]) -> tuple[str, str]:
    return text(code, lang, **params), text(f"{code}.hint", lang, **params)


def severity_of(code: str) -> Literal["error", "warning"]:
    return SEVERITY[code]


def render_error(error: Plan57Error, lang: Lang) -> str:
    return text(error.code, lang, **error.params)


def error_hint(error: Plan57Error, lang: Lang) -> str:
    return text(f"{error.code}.hint", lang, **error.params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Params(dict[str, Any]):
    """Fills a placeholder nobody supplied with an empty string rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
