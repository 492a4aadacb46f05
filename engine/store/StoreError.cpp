#include "store/StoreError.hpp"

#include "trace/Catalogue.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace mailsim::store {
namespace {

using i18n::Lang;

// The system steps' words, in StoreStep order: English "cannot <verb> <path>", Chinese with {} for the path.
struct StepWords {
    std::string_view en;  // the verb phrase before the path
    std::string_view zh;  // "{}" is the path
};
constexpr std::array<StepWords, static_cast<std::size_t>(StoreStep::Lock) + 1> kSystemSteps{{
    {"cannot create", "无法创建 {}"},
    {"cannot open", "无法打开 {}"},
    {"cannot open directory", "无法打开目录 {}"},
    {"cannot read", "无法读取 {}"},
    {"cannot read directory", "无法列出目录 {}"},
    {"cannot write", "无法写入 {}"},
    {"cannot close", "无法关闭 {}"},
    {"cannot fsync", "无法把 {} 同步到磁盘"},
    {"cannot fsync directory", "无法把目录 {} 同步到磁盘"},
    {"cannot syncfs", "无法把 {} 所在的文件系统同步到磁盘"},
    {"cannot stat", "无法查看 {} 的状态"},
    {"cannot use", "无法使用 {}"},
    {"cannot set the date of", "无法设置 {} 的日期"},
    {"cannot rename", "无法重命名 {}"},
    {"cannot rename into", "无法重命名为 {}"},
    {"cannot rename into place", "无法用临时文件替换 {}"},
    {"cannot remove", "无法删除 {}"},
    {"cannot cut the torn last line of", "无法截掉 {} 末尾不完整的一行"},
    {"cannot lock", "无法锁定 {}"},
}};

struct ErrnoWords {
    int err;
    std::string_view zh;  // as the zh_CN C library says it
};
constexpr ErrnoWords kErrnos[] = {
    {ENOSPC, "设备上没有空间"},        {EDQUOT, "超出磁盘配额"},
    {EROFS, "只读文件系统"},           {EACCES, "权限不够"},
    {EPERM, "不允许的操作（权限不够）"}, {ENOENT, "没有那个文件或目录"},
    {EEXIST, "文件已存在"},            {EIO, "输入/输出错误"},
    {ENOTDIR, "不是目录"},             {EISDIR, "是一个目录"},
    {ENAMETOOLONG, "文件名过长"},      {EMFILE, "打开的文件过多"},
    {ENFILE, "系统中打开的文件过多"},  {EBUSY, "设备或资源忙"},
    {EAGAIN, "资源暂时不可用"},        {ELOOP, "符号链接的层数过多"},
    {EXDEV, "无效的跨设备链接"},       {ENOTEMPTY, "目录非空"},
    {EINVAL, "无效的参数"},            {EBADF, "错误的文件描述符"},
    {EFBIG, "文件过大"},               {ENOMEM, "无法分配内存"},
    {EINTR, "被中断的系统调用"},       {ENXIO, "没有那个设备或地址"},
};
constexpr int kErrnoList[] = {ENOSPC, EDQUOT, EROFS, EACCES, EPERM, ENOENT, EEXIST, EIO, ENOTDIR, EISDIR,
                              ENAMETOOLONG, EMFILE, ENFILE, EBUSY, EAGAIN, ELOOP, EXDEV, ENOTEMPTY, EINVAL, EBADF,
                              EFBIG, ENOMEM, EINTR, ENXIO};
static_assert(std::size(kErrnoList) == std::size(kErrnos));

// Why a name is refused, in NameProblem order (None has no words).
constexpr std::array<StepWords, 10> kNameProblems{{
    {"", ""},
    {"it is empty", "名字为空"},
    {"it contains '/'", "含有“/”"},
    {"it contains '..'", "含有“..”"},
    {"it starts with '.'", "以“.”开头"},
    {"it contains a control character", "含有控制字符"},
    {"it is not well-formed UTF-8", "不是合法的 UTF-8"},
    {"it contains a C1 control character", "含有 C1 控制字符"},
    {"it contains a bidirectional control character", "含有双向文本控制字符"},
    {"", ""},  // TooLong: with the limit, below
}};

std::string nameProblemText(NameProblem p, Lang lang) {
    if (p == NameProblem::TooLong)
        return lang == Lang::Zh ? fmt::format("超过 {} 个字节", kMaxNameOctets)
                                : fmt::format("it is longer than {} octets", kMaxNameOctets);
    const auto i = static_cast<std::size_t>(p);
    if (i >= kNameProblems.size()) return {};
    return std::string(lang == Lang::Zh ? kNameProblems[i].zh : kNameProblems[i].en);
}

std::string injectedWhy(StoreErrc code, Lang lang) {
    const bool zh = lang == Lang::Zh;
    if (code == StoreErrc::NoSpace) return zh ? "设备上没有空间" : "no space left on the device";
    if (code == StoreErrc::Busy) return zh ? "邮箱被另一个进程锁定" : "the mailbox is locked by another process";
    return zh ? "输入/输出错误" : "an input/output error";
}

using E = StoreError;
using S = StoreStep;

// A system step: English "cannot <verb> <path>: <strerror>", Chinese from kSystemSteps.
std::string systemEn(const E& e) {
    return fmt::format("{} {}: {}", kSystemSteps[static_cast<std::size_t>(e.step)].en, e.path,
                       errnoText(e.sysErrno, Lang::En));
}
std::string systemZh(const E& e) {
    return fmt::format(fmt::runtime(kSystemSteps[static_cast<std::size_t>(e.step)].zh), e.path) + "：" +
           errnoText(e.sysErrno, Lang::Zh);
}

// One row per StoreStep, in its order (trace/Catalogue.hpp): the words of each step in English (exactly what the
// store always wrote) and Chinese, over the fields the step documents in StoreError.hpp.
constexpr std::array<trace::CatalogueRow<StoreStep, E>, names(StoreStep{}).size()> kSteps{{
    {S::Create, systemEn, systemZh},
    {S::Open, systemEn, systemZh},
    {S::OpenDir, systemEn, systemZh},
    {S::Read, systemEn, systemZh},
    {S::ReadDir, systemEn, systemZh},
    {S::Write, systemEn, systemZh},
    {S::Close, systemEn, systemZh},
    {S::Fsync, systemEn, systemZh},
    {S::FsyncDir, systemEn, systemZh},
    {S::Syncfs, systemEn, systemZh},
    {S::Stat, systemEn, systemZh},
    {S::Use, systemEn, systemZh},
    {S::SetDate, systemEn, systemZh},
    {S::Rename, systemEn, systemZh},
    {S::RenameInto, systemEn, systemZh},
    {S::RenameIntoPlace, systemEn, systemZh},
    {S::Remove, systemEn, systemZh},
    {S::Truncate, systemEn, systemZh},
    {S::Lock, systemEn, systemZh},
    {S::LockTimeout,
     [](const E& e) { return fmt::format("{} is locked by another process for more than {} ms", e.path, e.number); },
     [](const E& e) { return fmt::format("{} 被另一个进程锁定已超过 {} 毫秒", e.path, e.number); }},
    {S::NoSuchMessage, [](const E& e) { return fmt::format("no message with UID {} in {}", e.number, e.path); },
     [](const E& e) { return fmt::format("{} 中没有 UID 为 {} 的邮件", e.path, e.number); }},
    {S::NoSuchFolder, [](const E& e) { return fmt::format("no folder {} for {}", e.path, e.name); },
     [](const E& e) { return fmt::format("用户 {} 没有文件夹 {}", e.name, e.path); }},
    {S::InvalidName,
     [](const E& e) {
         return fmt::format("refusing {} name '{}': {}", e.number ? "folder" : "user", e.name,
                            nameProblemText(e.problem, Lang::En));
     },
     [](const E& e) {
         return fmt::format("拒绝{}“{}”：{}", e.number ? "文件夹名" : "用户名", e.name,
                            nameProblemText(e.problem, Lang::Zh));
     }},
    {S::EmptyFolderName, [](const E&) { return std::string("refusing an empty folder name"); },
     [](const E&) { return std::string("拒绝空的文件夹名"); }},
    {S::FolderExists, [](const E& e) { return fmt::format("folder {} already exists", e.path); },
     [](const E& e) { return fmt::format("文件夹 {} 已存在", e.path); }},
    {S::InboxNotDeleted, [](const E&) { return std::string("INBOX cannot be deleted"); },
     [](const E&) { return std::string("INBOX 不能删除"); }},
    {S::InboxNotRenamed, [](const E&) { return std::string("INBOX is not renamed by the store"); },
     [](const E&) { return std::string("邮件存储不重命名 INBOX（由调用者移动其中的邮件）"); }},
    {S::CannotDelete, [](const E& e) { return fmt::format("this store cannot delete folders ({})", e.path); },
     [](const E& e) { return fmt::format("这种邮件存储不能删除文件夹（{}）", e.path); }},
    {S::CannotRename, [](const E& e) { return fmt::format("this store cannot rename folders ({})", e.path); },
     [](const E& e) { return fmt::format("这种邮件存储不能重命名文件夹（{}）", e.path); }},
    {S::InvalidKeyword, [](const E& e) { return "not a keyword: " + e.name; },
     [](const E& e) { return "不是合法的关键字：" + e.name; }},
    {S::TooManyKeywords, [](const E& e) { return fmt::format("{} already has {} keywords", e.path, e.number); },
     [](const E& e) { return fmt::format("{} 已有 {} 个关键字，没有空位了", e.path, e.number); }},
    {S::FolderReadOnly, [](const E& e) { return e.path + " is read-only"; },
     [](const E& e) { return e.path + " 是只读的"; }},
    {S::Injected,
     [](const E& e) { return fmt::format("{}: {} (injected by the scenario)", e.path, injectedWhy(e.code, Lang::En)); },
     [](const E& e) { return fmt::format("{}：{}（场景注入的故障）", e.path, injectedWhy(e.code, Lang::Zh)); }},
    {S::JournalNoMemory, [](const E&) { return std::string("out of memory for the delivery journal"); },
     [](const E&) { return std::string("投递日志的内存不足"); }},
    {S::JournalTooBig, [](const E& e) { return fmt::format("{}: {} bytes do not fit", e.path, e.number); },
     [](const E& e) { return fmt::format("{}：{} 字节的记录放不下", e.path, e.number); }},
    {S::JournalPending, [](const E&) { return std::string("markSettled with appends pending"); },
     [](const E&) { return std::string("仍有追加写入未完成时就要结算投递日志（程序错误）"); }},
    {S::JournalTooSmall, [](const E& e) { return e.path + ": too small for a delivery journal"; },
     [](const E& e) { return e.path + "：文件太小，不能作为投递日志"; }},
    {S::JournalInUse, [](const E& e) { return e.path + " is in use by another mailsim process"; },
     [](const E& e) { return e.path + " 正被另一个进程使用"; }},
    {S::JournalNoSuperblock,
     [](const E& e) { return e.path + ": no valid superblock (not a mailsim delivery journal?)"; },
     [](const E& e) { return e.path + "：没有有效的超级块（不是投递日志？）"; }},
    {S::JournalReplay,
     [](const E& e) {
         return fmt::format("{}: replaying record {}: {}", e.path, e.number, e.cause ? e.cause->text() : "");
     },
     [](const E& e) {
         return fmt::format("{}：重放第 {} 条记录失败：{}", e.path, e.number,
                            e.cause ? storeErrorText(*e.cause, Lang::Zh) : "");
     }},
    {S::DeliveryFailed, [](const E&) { return std::string("delivery failed"); },
     [](const E&) { return std::string("投递失败"); }},
}};
static_assert(trace::inOrder(kSteps) == kSteps.size(), "kSteps follows the order of enum StoreStep");

}  // namespace

StoreErrc errcOf(int err) {
    switch (err) {
    case ENOSPC:
    case EDQUOT: return StoreErrc::NoSpace;
    case EROFS:
    case EACCES:
    case EPERM: return StoreErrc::ReadOnly;
    case ENOENT: return StoreErrc::NotFound;
    default: return StoreErrc::Io;
    }
}

StoreError systemError(StoreStep step, std::string path, int err) {
    StoreError e;
    e.code = errcOf(err);
    e.step = step;
    e.path = std::move(path);
    e.sysErrno = err;
    return e;
}

StoreError storeFault(StoreErrc code, StoreStep step, std::string path, std::string name, std::uint64_t number) {
    StoreError e;
    e.code = code;
    e.step = step;
    e.path = std::move(path);
    e.name = std::move(name);
    e.number = number;
    return e;
}

std::string errnoText(int err, Lang lang) {
    if (lang == Lang::Zh) {
        for (const auto& w : kErrnos)
            if (w.err == err) return std::string(w.zh);
        return fmt::format("错误号 {}（{}）", err, std::strerror(err));
    }
    return std::strerror(err);
}

std::span<const int> catalogueErrnos() { return kErrnoList; }

std::string storeErrorText(const StoreError& e, Lang lang) {
    // A step beyond the table (a trace from a newer program) reads as the generic sentence.
    if (auto words = trace::renderRow(kSteps, e.step, e, lang)) return *std::move(words);
    return lang == Lang::Zh ? "邮件存储出错" : "store error";
}

std::string StoreError::text() const { return storeErrorText(*this, Lang::En); }

}  // namespace mailsim::store
